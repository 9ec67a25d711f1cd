// Regression tests for bugs a differential tester found: each case failed before its fix.
#include <unistd.h>

#include <filesystem>

#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

const char* kHead = "policy t {\n  status in_force\n";

// A schema with a list of strings and a record of 70 optional fields before `hq_country`.
std::string wide_schema() {
    std::string s = "tags: [string]\nwide:\n";
    for (int i = 0; i < 70; ++i) s += "  f" + std::to_string(i) + ": string?\n";
    s += "  hq_country: country?\n";
    return s;
}

}  // namespace

TEST_CASE("a key that is the start of a field's name, runs past it or differs from it at one end is no field of that name") {
    // 31 fields in a table of 64 buckets: look-ups probe past other fields' buckets, so a
    // key compared over its own length only would take a longer name that starts with it,
    // and one compared over its first bytes only a name that ends otherwise (found by
    // mutation, session 20: the length test dropped from the key comparison, and names
    // longer than the 32 bytes compared at once sent to that comparison, both passed).
    for (const std::string stem : {"export_license_", "export_license_application_reference_"}) {
        std::string schema = "rec:\n";
        std::vector<std::string> names;
        for (int i = 0; i < 31; ++i) names.push_back(stem + std::to_string(1000 + i * 7919 % 1000));
        for (const auto& n : names) schema += "  " + n + ": string?\n";
        auto l = load_rules(std::string(kHead) + R"(
  rule d { deny when rec.)" + names[0] + R"( == "x" because "d" cite "c" }
}
)", {{"schema.yaml", schema}});
        REQUIRE_MESSAGE(l.ok(), l.rendered);
        const auto& set = *l.result.set;
        std::size_t tried = 0;
        for (const auto& n : names) {
            CHECK(decide(set, R"({"rec": {")" + n + R"(": "x"}})").input_error == "");
            std::vector<std::string> keys = {n + "9", "x" + n.substr(1), n.substr(0, n.size() - 1) + "x"};
            for (std::size_t len = 1; len < n.size(); ++len) keys.push_back(n.substr(0, len));
            for (const auto& key : keys) {
                if (std::find(names.begin(), names.end(), key) != names.end()) continue;
                const auto error = decide(set, R"({"rec": {")" + key + R"(": "x"}})").input_error;
                INFO("key: ", key);
                CHECK(error.rfind("rec." + key + ": unknown field", 0) == 0);
                ++tried;
            }
        }
        CHECK(tried > 500);
    }
}

TEST_CASE("set literals are told apart by their members, not by members joined with commas") {
    // Each pair was one set before, whichever literal came first.
    auto l = load_rules(std::string(kHead) + R"(
  rule joined { deny when customer.name in {"Acme,Inc."} because "joined" cite "c" }
  rule split  { report when customer.name in {"Acme", "Inc."} because "split" cite "c" }
  rule empty_string { report when customer.name in {""} because "empty_string" cite "c" }
  rule empty_set { deny when customer.name in {} because "empty_set" cite "c" }
}
)");
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    auto req = [](const std::string& name) {
        return R"({"customer": {"name": ")" + name +
               R"(", "country": "DE", "hq_country": "DE", "foreign": true, "identity_verified": true}})";
    };
    CHECK(decide(*l.result.set, req("Acme,Inc.")).fired == Ids{"t.joined"});
    CHECK(decide(*l.result.set, req("Acme")).fired == Ids{"t.split"});
    CHECK(decide(*l.result.set, req("Inc.")).fired == Ids{"t.split"});
    CHECK(decide(*l.result.set, req("")).fired == Ids{"t.empty_string"});
    CHECK(decide(*l.result.set, req("Other")).fired.empty());
    // Written the other way round, the same answers.
    auto r = load_rules(std::string(kHead) + R"(
  rule empty_set { deny when customer.name in {} because "empty_set" cite "c" }
  rule split  { report when customer.name in {"Acme", "Inc."} because "split" cite "c" }
  rule joined { deny when customer.name in {"Acme,Inc."} because "joined" cite "c" }
  rule empty_string { report when customer.name in {""} because "empty_string" cite "c" }
}
)");
    REQUIRE_MESSAGE(r.ok(), r.rendered);
    CHECK(decide(*r.result.set, req("Acme,Inc.")).fired == Ids{"t.joined"});
    CHECK(decide(*r.result.set, req("")).fired == Ids{"t.empty_string"});
    CHECK(decide(*r.result.set, req("Acme")).fired == Ids{"t.split"});
    // And the digest tells the two meanings apart.
    auto a = load_rules(std::string(kHead) + "  rule x { deny when customer.name in {\"a,b\"} because \"x\" cite \"c\" }\n}\n");
    auto b = load_rules(std::string(kHead) + "  rule x { deny when customer.name in {\"a\", \"b\"} because \"x\" cite \"c\" }\n}\n");
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a.result.set->digest() != b.result.set->digest());
}

TEST_CASE("a list of strings that no rule reads decodes; only a null element is an error") {
    auto l = load_rules(std::string(kHead) + R"(
  rule counted { report when count(t in tags: true) == 2 because "two tags" cite "c" }
  rule unread { deny when has wide.hq_country because "x" cite "c" }
}
)", {{"schema.yaml", wide_schema()}});
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    const auto o = decide(*l.result.set, R"({"tags": ["vip", "gold"]})");
    CHECK(o.input_error == "");
    CHECK(o.fired == Ids{"t.counted"});
    CHECK(decide(*l.result.set, R"({"tags": ["vip", null]})").input_error == "tags[1]: list elements cannot be null");
    CHECK(decide(*l.result.set, R"({"tags": ["vip", 3]})").input_error == "tags[1]: expected a string, got a number");
}

TEST_CASE("a JSON key spelled with \\u escapes is the key it spells") {
    auto l = load_rules(std::string(kHead) + R"(
  rule d { deny when customer.hq_country == "CN" because "d" cite "c" }
}
)");
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    const auto o = decide(*l.result.set, R"({"customer": {"name": "U", "country": "CN", "hq_c\u006fu\u006etry": "CN",
        "foreign": true, "identity_verified": false}, "\u0069d": "esc"})");
    CHECK(o.input_error == "");
    CHECK(o.fired == Ids{"t.d"});
    CHECK(o.json.rfind(R"({"id":"esc",)", 0) == 0);
    // An escaped key still has to name a field.
    CHECK(decide(*l.result.set, R"({"customer": {"n\u0061mx": "U"}})").input_error.find("customer.namx: unknown field") == 0);
    // A key that only ends in an escaped quote or backslash takes the same careful path.
    CHECK(decide(*l.result.set, R"({"customer": {"name\\": "U"}})").input_error.find("customer.name\\: unknown field") == 0);
}

TEST_CASE("the digest depends on the set's content, not on how its directory is named") {
    TempPolicySet tmp({{"rules.cordon", std::string(kHead) + R"(
  use table chips from "data/chips.yaml"
  rule d { deny when chips[resource.chip].tpp >= 4800 because "d" cite "c" }
}
)"}});
    namespace fs = std::filesystem;
    const fs::path dir = tmp.dir();
    auto digest_of = [](const std::string& d) {
        auto r = PolicySet::load(d);
        REQUIRE_MESSAGE(r.set, d, ": ", render_all(r.diagnostics, *r.sources));
        return r.set->digest();
    };
    const auto want = digest_of(dir.string());
    CHECK(digest_of(dir.string() + "/") == want);
    CHECK(digest_of(dir.string() + "/.") == want);
    CHECK(digest_of((dir.parent_path() / "." / dir.filename()).string()) == want);
    CHECK(digest_of(fs::path(dir).lexically_relative(fs::current_path()).string()) == want);
    const auto cwd = fs::current_path();
    fs::current_path(dir);
    const auto here = digest_of(".");
    const auto parent_named = digest_of("../" + dir.filename().string());
    fs::current_path(cwd);
    CHECK(here == want);
    CHECK(parent_named == want);
}

TEST_CASE("a field given twice is an input error: envelope `time` and `id`, and records of more than 64 fields") {
    auto l = load_rules(std::string(kHead) + R"(
  rule d { deny when wide.hq_country == "CN" because "d" cite "c" }
}
)", {{"schema.yaml", wide_schema()}});
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    const auto& set = *l.result.set;
    CHECK(decide(set, R"({"time": "2024-11-18", "wide": {"hq_country": "CN"}, "time": "2020-01-01"})").input_error ==
          "time: field given twice");
    CHECK(decide(set, R"({"id": "a", "id": "b"})").input_error == "id: field given twice");
    CHECK(decide(set, R"({"wide": {"hq_country": "CN", "hq_country": "DE"}})").input_error ==
          "wide.hq_country: field given twice");
    CHECK(decide(set, R"({"wide": {"f69": "x", "f3": "y", "f69": "z"}})").input_error == "wide.f69: field given twice");
    // Every field of the record once, in order and backwards: the 64th and later are told
    // apart from the first (found by mutation, session 20: the mask's `index < 64` made `<= 64`
    // counted field 64 as field 0).
    std::string every, backwards;
    for (int i = 0; i < 70; ++i) {
        every += "\"f" + std::to_string(i) + "\": \"x\", ";
        backwards += "\"f" + std::to_string(69 - i) + "\": \"x\", ";
    }
    CHECK(decide(set, R"({"wide": {)" + every + R"("hq_country": "CN"}})").input_error == "");
    CHECK(decide(set, R"({"wide": {)" + backwards + R"("hq_country": "CN"}})").input_error == "");
    // Each object starts afresh: two requests, and a field past the 64th given once each.
    for (int i = 0; i < 3; ++i) {
        const auto o = decide(set, R"({"wide": {"f69": "x", "hq_country": "CN"}, "time": "2024-11-18", "id": "r"})");
        CHECK(o.input_error == "");
        CHECK(o.verdict == "deny");
    }
}

TEST_CASE("a rejected request keeps its id when `id` comes after the bad field") {
    auto l = load_rules(std::string(kHead) + R"(
  rule d { deny when customer.hq_country == "CN" because "d" cite "c" }
}
)");
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    Session s(*l.result.set);
    auto id_after_error = [&](const std::string& text) {
        auto err = s.decoder.decode_json(text, s.request);
        REQUIRE(err);
        return s.request.id;
    };
    CHECK(id_after_error(R"({"customer": {"hq_contry": "CN"}, "id": "req-9"})") == "req-9");
    CHECK(id_after_error(R"({"customer": {"hq_country": 7}, "zzz": [1, {"id": "inner"}], "id": 42})") == "42");
    CHECK(id_after_error("{\"customer\": {\"hq_country\": 7}, \"id\": 4.5e1 \t\r\n}") == "4.5e1");
    CHECK(id_after_error(R"({"time": "nope", "\u0069d": "esc"})") == "esc");
    CHECK(id_after_error(R"({"customer": {"hq_contry": "CN"}, "id": {"x": 1}})") == "");
    CHECK(id_after_error(R"({"customer": {"id": "nested"}})") == "");
    CHECK(id_after_error(R"({"customer": 1, "id": "a", "id": "b"})") == "a");
    auto err = s.decoder.decode_yaml("customer: {hq_contry: CN}\nid: from-yaml\n", s.request);
    REQUIRE(err);
    CHECK(s.request.id == "from-yaml");
    // A padded buffer (the batch reader's path) too.
    std::string padded = R"({"bad": 1, "id": "p"})";
    const auto size = padded.size();
    padded.append(kJsonPadding, '\0');
    REQUIRE(s.decoder.decode_json(std::string_view(padded.data(), size), s.request, true));
    CHECK(s.request.id == "p");
}
