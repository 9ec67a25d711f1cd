// Request decoding against a schema (INTERFACES.md, LANGUAGE.md "The manifest and the
// schema"): every bad input is an error naming the path; envelope fields; JSON and YAML.
#include "cordon/engine/decode.hpp"

#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

const PolicySet& fixture() {
    static const auto loaded = PolicySet::load(CORDON_SOURCE_DIR "/tests/fixtures/embed/good");
    REQUIRE_MESSAGE(loaded.set, render_all(loaded.diagnostics, *loaded.sources));
    return *loaded.set;
}

// A decoder session over the fixture, with helpers to read what landed in the slots.
struct Decoded {
    Session s{fixture()};
    std::optional<RequestError> error;

    static Decoded json(std::string_view text) {
        Decoded d;
        d.error = d.s.decoder.decode_json(text, d.s.request);
        return d;
    }
    static Decoded yaml(std::string_view text) {
        Decoded d;
        d.error = d.s.decoder.decode_yaml(text, d.s.request);
        return d;
    }
    // "path: message", or "" when decoding succeeded.
    std::string what() const { return error ? error->path + ": " + error->message : ""; }
    Value root(const std::string& path) const {
        const auto& ix = fixture().checked().attrs;
        return s.request.root[ix.attrs[ix.attr_by_path.at(path)].slot];
    }
    std::string text(const std::string& path) const {
        const auto v = root(path);
        return v.tag == Value::Tag::String ? std::string(s.request.text(fixture().program(), v.s)) : "<not a string>";
    }
    std::uint32_t count(const std::string& list) const {
        return s.request.lists[fixture().checked().attrs.list_by_path.at(list)].count;
    }
};

const char* kCustomer = R"("customer": {"name": "U", "country": "CN", "hq_country": "CN", "foreign": true,
    "identity_verified": false})";

std::string with_customer(const std::string& rest = "") {
    return std::string("{") + kCustomer + (rest.empty() ? "" : ", " + rest) + "}";
}

}  // namespace

TEST_CASE("a valid request fills the slots") {
    const auto d = Decoded::json(with_customer(R"("resource": {"chip": "H100-SXM", "tpp": 15832})"));
    REQUIRE(d.what() == "");
    CHECK(d.text("customer.hq_country") == "CN");
    CHECK(d.root("customer.foreign").b);
    CHECK(d.root("resource.tpp").n == 15832);
    // No rule of the fixture reads resource.chip: its type is checked, its value not kept.
    CHECK(!d.root("resource.chip").present());
    CHECK(Decoded::json(with_customer(R"("resource": {"chip": 7})")).what() == "resource.chip: expected a string, got a number");
}

TEST_CASE("an unknown field is an error naming its path, with a did-you-mean") {
    CHECK(Decoded::json(R"({"customer": {"hq_contry": "CN"}})").what() ==
          "customer.hq_contry: unknown field; did you mean \"hq_country\"?");
    CHECK(Decoded::json(R"({"custmer": {}})").what() == "custmer: unknown field; did you mean \"customer\"?");
    CHECK(Decoded::json(R"({"zzzzzzzz": 1})").what() == "zzzzzzzz: unknown field (not declared in the schema)");
    CHECK(Decoded::json(R"({"intermediaries": [{"name": "R", "contry": "CN"}]})").what() ==
          "intermediaries[0].contry: unknown field; did you mean \"country\"?");
}

TEST_CASE("a wrong type is an error naming the path and both types") {
    CHECK(Decoded::json(R"({"customer": {"foreign": "yes"}})").what() ==
          "customer.foreign: expected true or false, got a string");
    CHECK(Decoded::json(R"({"resource": {"tpp": "15832"}})").what() == "resource.tpp: expected a number, got a string");
    CHECK(Decoded::json(R"({"resource": {"chip": 100}})").what() == "resource.chip: expected a string, got a number");
    CHECK(Decoded::json(R"({"customer": "CN"})").what() == "customer: expected an object, got a string");
    CHECK(Decoded::json(R"({"intermediaries": {"name": "R"}})").what() ==
          "intermediaries: expected a list, got an object");
    CHECK(Decoded::json(R"({"customer": {"aliases": [1]}})").what() ==
          "customer.aliases[0]: expected a string, got a number");
    CHECK(Decoded::json(R"({"customer": {"formed": "01/02/2024"}})").what() ==
          "customer.formed: expected a date \"YYYY-MM-DD\", got \"01/02/2024\"");
}

TEST_CASE("a bad enum value or country code is an error listing what is allowed") {
    CHECK(Decoded::json(R"({"workload": {"kind": "pretraining"}})").what() ==
          "workload.kind: \"pretraining\" is not one of: training, fine_tuning, inference, other");
    CHECK(Decoded::json(R"({"customer": {"hq_country": "China"}})").what() ==
          "customer.hq_country: expected an ISO 3166-1 alpha-2 country code (two upper-case letters), got \"China\"");
    CHECK(Decoded::json(R"({"customer": {"hq_country": "cn"}})").what().find("got \"cn\"") != std::string::npos);
    // The characters just past `Z` and before `A` are not letters (found by mutation,
    // session 18: with `y > 26`, "B[" was read as the code after "BZ", "CA").
    for (const char* bad : {"B[", "[B", "Z[", "@A", "A@", "Z", "ZZZ"}) {
        INFO(bad);
        CHECK(Decoded::json(R"({"customer": {"hq_country": ")" + std::string(bad) + R"("}})").what().find("alpha-2") != std::string::npos);
    }
    CHECK(Decoded::json(R"({"customer": {"hq_country": "ZZ"}})").what() == "");
    CHECK(Decoded::json(R"({"customer": {"hq_country": "AA"}})").what() == "");
}

TEST_CASE("nested list element errors name the element") {
    CHECK(Decoded::json(R"({"intermediaries": [{"name": "A", "country": "CN", "role": "reseller"},
                                               {"name": "B", "country": "MO", "role": "distributor"}]})")
              .what() == "intermediaries[1].role: \"distributor\" is not one of: reseller, broker, subsidiary, agent");
    CHECK(Decoded::json(R"({"customer": {"owners": [{"share": 0.5}, {"share": true}]}})").what() ==
          "customer.owners[1].share: expected a number, got a boolean");
    CHECK(Decoded::json(R"({"intermediaries": [1]})").what() == "intermediaries[0]: expected an object, got a number");
}

TEST_CASE("malformed documents are errors on the whole document") {
    // The path is empty: the error is about the document, and the request fails closed.
    const auto document_error = [](std::string_view text) {
        const auto d = Decoded::json(text);
        REQUIRE_MESSAGE(d.error, text);
        CHECK(d.error->path == "");
        return d.error->message;
    };
    CHECK(document_error(R"({"customer": {"name": )") != "");
    CHECK(document_error("") == "the request is empty (no JSON text)");  // not simdjson's "Empty: no JSON found"
    CHECK(document_error("[1, 2]").find("a request must be a JSON object") != std::string::npos);
    CHECK(document_error("\"CN\"").find("a request must be a JSON object") != std::string::npos);
    CHECK(document_error(with_customer() + " x") != "");
    CHECK(document_error(with_customer() + " {}") != "");
    CHECK(Decoded::yaml("- a\n- b\n").what().find("a request must be a JSON object") != std::string::npos);
    CHECK(Decoded::json(R"({"license": {"granted": true, "granted": false}})").what() ==
          "license.granted: field given twice");
}

// Truncated text and trailing garbage after a valid object are reported today as "a
// request must be a JSON object, got an object" (decode.cpp reports the type, not
// simdjson's error, when get_object() fails). These say what the message should be.
TEST_CASE("malformed JSON and trailing content are named as such") {
    CHECK(Decoded::json(R"({"customer": {"name": )").what().rfind(": malformed JSON", 0) == 0);
    CHECK(Decoded::json(with_customer() + " x").what().rfind(": malformed JSON", 0) == 0);
    CHECK(Decoded::json(R"({"customer": {"name": "U"}} x)").what().find("trailing") != std::string::npos);
    // A key that is no JSON string is named with its problem (found by mutation, session 18:
    // no test had one, so a scan for the key's end that never stopped passed).
    CHECK(Decoded::json(R"({"customer": {"na\qme": "x"}})").what() ==
          "customer: in a key: malformed JSON string: `\\q` is not a JSON escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
    CHECK(Decoded::json(R"({"customer": {"na\u00": "x"}})").what() ==
          "customer: in a key: malformed JSON string: `\\u00\"` is not an escape: \\u takes four hex digits");
    CHECK(Decoded::json(R"({"a\\\q": 1})").what().rfind(": in a key: malformed JSON string: `\\q`", 0) == 0);
    // An escaped quote before the problem does not end the key (found by mutation, session
    // 19: the scan stepping one character after a backslash passed).
    CHECK(Decoded::json(R"({"customer": {"a\"b\qc": "x"}})").what() ==
          "customer: in a key: malformed JSON string: `\\q` is not a JSON escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
}

TEST_CASE("time is a date or a date-time, taken in UTC; the declared `time` attribute reads it") {
    const auto day = [](std::string_view time) {
        const auto d = Decoded::json(with_customer("\"time\": \"" + std::string(time) + "\""));
        REQUIRE_MESSAGE(d.what() == "", d.what());
        REQUIRE(d.s.request.time);
        CHECK(d.root("time").tag == Value::Tag::Date);
        CHECK(d.root("time").d == *d.s.request.time);
        return format_date(*d.s.request.time);
    };
    CHECK(day("2024-11-18") == "2024-11-18");
    CHECK(day("2024-11-18T09:00:00Z") == "2024-11-18");
    CHECK(day("2024-11-18T09:00:00.250Z") == "2024-11-18");
    CHECK(day("2024-11-18T23:30:00-02:00") == "2024-11-19");  // 01:30 UTC the next day
    CHECK(day("2024-11-18T01:00:00+05:00") == "2024-11-17");  // 20:00 UTC the day before
    CHECK(day("2024-12-31T23:00:00-01:00") == "2025-01-01");
    CHECK(day("2024-11-18T12:00:00+05:30") == "2024-11-18");
    // Offsets of zero hours are offsets too (found by mutation, session 15: `oh < 0` made
    // `oh <= 0` refused them, and a request with one was denied as an input error).
    CHECK(day("2024-11-18T23:45:00+00:00") == "2024-11-18");
    CHECK(day("2024-11-18T23:45:00-00:30") == "2024-11-19");  // 00:15 UTC the next day
    CHECK(day("2024-11-18T00:15:00+00:30") == "2024-11-17");  // 23:45 UTC the day before
    // Each field at its last value is a time; one past it is not, nor a fraction without
    // a digit (found by mutation, session 17: the offset's `om > 59` made `om >= 59`
    // refused `+05:59`).
    CHECK(day("2024-11-18T23:59:60Z") == "2024-11-18");       // a leap second
    CHECK(day("2024-11-18T23:59:00-23:59") == "2024-11-19");  // 23:58 UTC the next day
    CHECK(day("2024-11-18T00:00:00+23:59") == "2024-11-17");  // 00:01 UTC the day before
    CHECK(day("2024-11-18T01:00:00+00:59") == "2024-11-18");  // 00:01 UTC the same day
    CHECK(day("2024-11-18T00:58:00+00:59") == "2024-11-17");  // 23:59 UTC the day before
    // A fraction of a second ends at its last digit: the offset after it still counts
    // (session 17: the fraction read to the end of the text, and the offset was lost).
    CHECK(day("2024-11-18T23:30:00.250-02:00") == "2024-11-19");
    CHECK(day("2024-11-18T01:00:00.5+05:00") == "2024-11-17");
    CHECK(day("2024-11-18T23:59:59.999") == "2024-11-18");  // the fraction ends the text
    // Seconds may be left out; the minutes then end the text or come before the offset
    // (found by mutation, session 18: with `at <= rest.size()` the time read one past its
    // end, which only libstdc++'s assertions saw, as no test had a time without seconds).
    CHECK(day("2024-11-18T12:00") == "2024-11-18");
    CHECK(day("2024-11-18T23:30-02:00") == "2024-11-19");
    CHECK(day("2024-11-18T00:30Z") == "2024-11-18");
    // RFC 3339's `t` and `z` may be lower case, and a space may stand for the `T`.
    CHECK(day("2024-11-18t23:30:00-02:00") == "2024-11-19");
    CHECK(day("2024-11-18 23:30:00z") == "2024-11-18");
    for (const char* bad : {"2024-11-18T24:00:00Z", "2024-11-18T23:60:00Z", "2024-11-18T23:59:61Z",
                            "2024-11-18T12:00:00+24:00", "2024-11-18T12:00:00+05:60", "2024-11-18T12:00:00-00:60",
                            "2024-11-18T12:00:00.5x", "2024-11-18T12:00:00.Z+01:00", "2024-11-18T12:00:00.",
                            "2024-11-18T12:00:00.Z", "2024-11-18T12:00:00.+01:00", "2024-11-18T12:0",
                            "2024-11-18T12", "2024-11-18T12:00:", "2024-11-18T12:00:0"}) {
        INFO(bad);
        CHECK(Decoded::json(R"({"time": ")" + std::string(bad) + R"("})").what().rfind("time: expected an ISO date", 0) == 0);
    }
    CHECK(Decoded::json(R"({"time": "2024-13-01"})").what().rfind("time: expected an ISO date", 0) == 0);
    CHECK(Decoded::json(R"({"time": "2024-11-18T25:00:00Z"})").error);
    CHECK(Decoded::json(R"({"time": 20241118})").what() ==
          "time: expected an ISO date or date-time string, got a number");
    CHECK_FALSE(Decoded::json(R"({"time": null})").s.request.time);
}

TEST_CASE("id is an envelope field, echoed in the decision") {
    const auto& set = fixture();
    CHECK(decide(set, with_customer(R"("id": "req-0001")")).json.rfind("{\"id\":\"req-0001\",", 0) == 0);
    CHECK(decide(set, with_customer(R"("id": 42)")).json.rfind("{\"id\":\"42\",", 0) == 0);
    CHECK(decide(set, with_customer()).json.rfind("{\"id\":null,", 0) == 0);
    CHECK(Decoded::json(R"({"id": ["x"]})").what() == "id: expected a string, got a list");
    // an id before the error is kept, so a fail-closed decision can still name the request
    CHECK(Decoded::json(R"({"id": "r9", "customer": 1})").s.request.id == "r9");
}

TEST_CASE("null is absent; an absent list is empty") {
    const auto d = Decoded::json(with_customer(
        R"("license": null, "resource": {"chip": null, "tpp": 1}, "intermediaries": null)"));
    REQUIRE(d.what() == "");
    CHECK_FALSE(d.root("license.granted").present());
    CHECK_FALSE(d.root("resource.chip").present());
    CHECK_FALSE(d.root("customer.parent_hq_country").present());
    CHECK(d.count("intermediaries") == 0);
    CHECK(d.count("customer.owners") == 0);
    CHECK(Decoded::json(R"({"customer": {"aliases": ["a", null]}})").what() ==
          "customer.aliases[1]: list elements cannot be null");
    // an absent attribute read by a rule fails that rule closed
    const auto o = decide(fixture(), with_customer(R"("resource": {"chip": "H100-SXM", "tpp": 15832})"));
    CHECK(o.verdict == "deny");
    CHECK(o.errors == Ids{"embed.rules.hq_in_d5"});
}

TEST_CASE("YAML requests decode like JSON; quoting decides a scalar's type") {
    SUBCASE("the same request in YAML and JSON decides the same") {
        const auto yaml = R"(id: req-7
time: 2024-11-18T09:00:00Z
customer:
  name: U
  country: CN
  hq_country: CN
  foreign: true
  identity_verified: false
  aliases: [Shady Corp]
intermediaries:
  - {name: R, country: MO, role: reseller}
resource: {chip: H100-SXM, tpp: 15832}
license: {granted: false}
)";
        auto y = Decoded::yaml(yaml);
        REQUIRE(y.what() == "");
        std::string error;
        const auto converted = yaml_to_json(yaml, error);
        REQUIRE(converted);
        const auto json = R"({"id": "req-7", "time": "2024-11-18T09:00:00Z", "customer": {"name": "U",
            "country": "CN", "hq_country": "CN", "foreign": true, "identity_verified": false,
            "aliases": ["Shady Corp"]}, "intermediaries": [{"name": "R", "country": "MO", "role": "reseller"}],
            "resource": {"chip": "H100-SXM", "tpp": 15832}, "license": {"granted": false}})";
        CHECK(decide(fixture(), *converted).json == decide(fixture(), json).json);
        CHECK(y.count("customer.aliases") == 1);
        CHECK(y.text("customer.hq_country") == "CN");
    }
    SUBCASE("quoted scalars stay strings, unquoted ones are typed") {
        CHECK(Decoded::yaml("resource: {chip: \"100\"}\n").what() == "");
        CHECK(Decoded::yaml("resource: {chip: 100}\n").what() == "resource.chip: expected a string, got a number");
        CHECK(Decoded::yaml("customer: {name: \"true\"}\n").what() == "");
        CHECK(Decoded::yaml("customer: {name: true}\n").what() == "customer.name: expected a string, got a boolean");
        CHECK(Decoded::yaml("resource: {tpp: \"15832\"}\n").what() == "resource.tpp: expected a number, got a string");
        CHECK(Decoded::yaml("resource: {tpp: 1.5e3}\n").root("resource.tpp").n == 1500);
        CHECK(Decoded::yaml("customer: {foreign: ~}\n").what() == "");  // null is absent
    }
    SUBCASE("numbers as YAML 1.2's core schema writes them: either exponent letter, signs, bare points") {
        // (The session-16 mutation sample: `s[i] == 'E'` made `!=` survived every test.)
        const auto tpp = [](const std::string& text) { return Decoded::yaml("resource: {tpp: " + text + "}\n"); };
        CHECK(tpp("4.8E3").root("resource.tpp").n == 4800);
        CHECK(tpp("48E+2").root("resource.tpp").n == 4800);
        CHECK(tpp("480000e-2").root("resource.tpp").n == 4800);
        CHECK(tpp("+4800").root("resource.tpp").n == 4800);
        CHECK(tpp("4800.").root("resource.tpp").n == 4800);
        CHECK(tpp(".5").root("resource.tpp").n == 0.5);
        CHECK(tpp("-.5E1").root("resource.tpp").n == -5);
        // Not numbers: plain strings, so a number attribute refuses them.
        for (const char* text : {"4.8E", "4.8e+", "E3", ".", "+", "4800x", "4.8E3.1", "4 800"})
            CHECK_MESSAGE(tpp(text).what() == "resource.tpp: expected a number, got a string", text);
    }
    SUBCASE("YAML 1.2 core: NO and yes are strings (no Norway problem)") {
        const auto d = Decoded::yaml("customer: {hq_country: NO, name: yes}\n");
        REQUIRE(d.what() == "");
        CHECK(d.text("customer.hq_country") == "NO");
        CHECK(d.text("customer.name") == "yes");
    }
    SUBCASE("malformed YAML names the line") {
        const auto d = Decoded::yaml("customer: {name: U\nresource: [\n");
        REQUIRE(d.error);
        CHECK(d.error->message.rfind("malformed YAML at line", 0) == 0);
    }
}

TEST_CASE("text that is not UTF-8 is refused in YAML as in JSON (found by fuzz_request_yaml)") {
    const std::string bad_name = "\xFF\xFE(\xC3";
    auto j = Decoded::json(with_customer().replace(with_customer().find("\"U\""), 3, "\"" + bad_name + "\""));
    CHECK(j.error);
    auto y = Decoded::yaml("customer: {name: \"" + bad_name +
                           "\", country: CN, hq_country: CN, foreign: true, identity_verified: false}\n");
    REQUIRE(y.error);
    CHECK(y.error->message.find("UTF-8") != std::string::npos);
    std::string error;
    CHECK_FALSE(yaml_to_json("name: \"" + bad_name + "\"\n", error));
    CHECK(error.find("not valid UTF-8") != std::string::npos);
    auto ok = Decoded::yaml("customer: {name: \"caf\xC3\xA9\", country: CN, hq_country: CN, foreign: true, "
                            "identity_verified: false}\n");
    CHECK(ok.what() == "");
    CHECK(ok.text("customer.name") == "caf\xC3\xA9");
}
