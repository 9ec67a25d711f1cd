// Input limits (docs/limits.md): each one just under (accepted) and just over (a clear
// error: a diagnostic with file and line for a policy set, an input error for a request).
#include <algorithm>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <simdjson.h>

#include "compile/constants.hpp"
#include "cordon/dsl/parse.hpp"
#include "program/program.hpp"
#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

const char* kHead = "policy t {\n  status in_force\n";

const char* kRule = "  rule d { deny when customer.hq_country == \"CN\" because \"d\" cite \"c\" }\n";

// Loads `rules` (as rules.cordon, plus extra files) under `limits`.
Loaded load_with(const Limits& limits, const std::string& rules, std::map<std::string, std::string> extra = {}) {
    extra["rules.cordon"] = rules;
    TempPolicySet tmp(extra);
    Loaded l{PolicySet::load(tmp.dir(), limits), {}};
    l.rendered = render_all(l.result.diagnostics, *l.result.sources);
    return l;
}

// "path: message" of a request's input error, or "" when it decoded.
std::string input_error(const PolicySet& set, std::string_view json) {
    Session s(set);
    auto err = s.decoder.decode_json(json, s.request);
    return err ? err->path + ": " + err->message : "";
}

std::string request_with_name(std::size_t name_bytes, std::size_t pad = 0) {
    return R"({"customer": {"name": ")" + std::string(name_bytes, 'n') +
           R"(", "country": "DE", "hq_country": "CN", "foreign": true, "identity_verified": true}})" +
           std::string(pad, ' ');
}

std::string owners(std::size_t n) {
    std::string s = R"({"customer": {"owners": [)";
    for (std::size_t i = 0; i < n; ++i) s += std::string(i ? "," : "") + R"({"name": "o", "country": "DE", "share": 0.1})";
    return s + "]}}";
}

// `a or a or ... ` with `terms` terms, as one rule.
std::string chain(std::size_t terms, const char* op = " or ", const char* term = "customer.foreign") {
    std::string e = term;
    for (std::size_t i = 1; i < terms; ++i) (e += op) += term;
    return std::string(kHead) + "  rule chain { deny when " + e + " because \"c\" cite \"c\" }\n}\n";
}

bool mentions(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("the default limits are the documented ones") {
    const Limits l;
    CHECK(l.request_bytes == 8u * 1024 * 1024);
    CHECK(l.json_depth == 64);
    CHECK(l.list_elements == 10'000);
    CHECK(l.string_bytes == 64u * 1024);
    CHECK(l.rule_file_bytes == 4u * 1024 * 1024);
    CHECK(l.expression_depth == 256);
    CHECK(l.rules == 100'000);
    CHECK(kYamlFileBytes == 16u * 1024 * 1024);  // reading YAML takes ~85 bytes per byte: 1.4 GB
}

TEST_CASE("request size: at the limit decoded, one byte over an input error") {
    auto l = load_rules(std::string(kHead) + kRule + "}\n");
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    const auto& set = *l.result.set;
    const std::size_t limit = Limits{}.request_bytes;
    const auto base = request_with_name(1).size();
    CHECK(input_error(set, request_with_name(1, limit - base)) == "");
    CHECK(input_error(set, request_with_name(1, limit - base + 1)) ==
          ": request is 8388609 bytes, more than the limit of 8388608 bytes (8 MiB)");
    // A request of exactly the limit with a bad field still has its id found for the deny
    // (found by mutation, session 18: `>=` in the id's recovery lost it at the limit).
    {
        Session bad(set);
        std::string text = R"({"customer": {"hq_country": 7}, "id": "at-limit"})";
        text.append(limit - text.size(), ' ');
        REQUIRE(bad.decoder.decode_json(text, bad.request));
        CHECK(bad.request.id == "at-limit");
    }
    // YAML too, before it is converted: at the limit read (a comment makes it longer than
    // its JSON), one byte over refused (found by mutation, session 18: `>=` refused a YAML
    // request of exactly the limit, and no test had one).
    Session s(set);
    CHECK_FALSE(s.decoder.decode_yaml("id: y\n" + std::string(limit - 6, '#'), s.request));
    CHECK(s.request.id == "y");
    auto err = s.decoder.decode_yaml("id: y\n" + std::string(limit - 5, '#'), s.request);
    REQUIRE(err);
    CHECK(mentions(err->message, "more than the limit of 8388608 bytes"));
}

TEST_CASE("string length: 64 KiB decoded, one byte more an input error naming the path") {
    auto l = load_rules(std::string(kHead) + kRule + "}\n");
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    const auto& set = *l.result.set;
    // customer.name is read by no rule: the limit holds for unread strings too.
    CHECK(input_error(set, request_with_name(64 * 1024)) == "");
    CHECK(input_error(set, request_with_name(64 * 1024 + 1)) ==
          "customer.name: string of 65537 bytes is longer than the limit of 65536 bytes (64 KiB)");
    CHECK(input_error(set, R"({"id": ")" + std::string(64 * 1024, 'i') + R"("})") == "");
    CHECK(input_error(set, R"({"id": ")" + std::string(64 * 1024 + 1, 'i') + R"("})") ==
          "id: string of 65537 bytes is longer than the limit of 65536 bytes (64 KiB)");
    // Escapes count after unescaping: 64 KiB of `\n` escapes is 128 KiB of text but 64 KiB of string.
    std::string escaped;
    for (int i = 0; i < 64 * 1024; ++i) escaped += "\\n";
    CHECK(input_error(set, R"({"customer": {"name": ")" + escaped + R"("}})") == "");
    // A string a rule reads, at the limit and one byte over (found by mutation, session 18:
    // `>=` in the read strings' check passed, every test's long string being unread).
    auto reads = load_rules(std::string(kHead) + "  rule n { report when customer.name == \"x\" because \"n\" cite \"c\" }\n}\n");
    REQUIRE_MESSAGE(reads.ok(), reads.rendered);
    CHECK(input_error(*reads.result.set, request_with_name(64 * 1024)) == "");
    CHECK(input_error(*reads.result.set, request_with_name(64 * 1024 + 1)) ==
          "customer.name: string of 65537 bytes is longer than the limit of 65536 bytes (64 KiB)");
    // A limit of one byte holds for an unread string too (found in review, session 19: the
    // unread string's shortcut bound `+ 2` made `- 2` wrapped round below 2 and let every
    // string through).
    Limits one;
    one.string_bytes = 1;
    auto tiny = load_with(one, std::string(kHead) + kRule + "}\n");
    REQUIRE_MESSAGE(tiny.ok(), tiny.rendered);
    CHECK(input_error(*tiny.result.set, R"({"customer": {"name": "a"}})") == "");
    CHECK(input_error(*tiny.result.set, R"({"customer": {"name": "ab"}})").rfind("customer.name: string of 2 bytes is longer", 0) == 0);
}

TEST_CASE("list length: 10,000 elements decoded, 10,001 an input error naming the element") {
    auto l = load_rules(std::string(kHead) +
                        "  rule d { report when count(o in customer.owners: true) > 9999 because \"d\" cite \"c\" }\n}\n");
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    const auto& set = *l.result.set;
    const auto ok = decide(set, owners(10'000));
    CHECK(ok.input_error == "");
    CHECK(ok.fired == Ids{"t.d"});
    CHECK(input_error(set, owners(10'001)) ==
          "customer.owners[10000]: list has more than 10000 elements (the limit)");
}

TEST_CASE("JSON nesting depth: the request object counts one; deeper is an input error") {
    Limits limits;
    limits.json_depth = 3;  // root, customer, owners: an owner object is the fourth level
    auto l = load_with(limits, std::string(kHead) + kRule + "}\n");
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    const auto& set = *l.result.set;
    CHECK(input_error(set, R"({"customer": {"owners": []}})") == "");
    CHECK(input_error(set, R"({"customer": {"owners": [{"name": "o"}]}})") ==
          "customer.owners[0]: nested more than 3 levels deep (the limit)");
    limits.json_depth = 4;
    auto m = load_with(limits, std::string(kHead) + kRule + "}\n");
    REQUIRE(m.ok());
    CHECK(input_error(*m.result.set, R"({"customer": {"owners": [{"name": "o"}]}})") == "");
    // Under the default limit, deep nesting in a request is refused without recursion.
    auto d = load_rules(std::string(kHead) + kRule + "}\n");
    REQUIRE(d.ok());
    const std::string deep = R"({"customer": {"name": )" + std::string(100'000, '[') + std::string(100'000, ']') + "}}";
    CHECK(input_error(*d.result.set, deep) == "customer.name: expected a string, got a list");
}

TEST_CASE("rule file size: at the limit loaded, one byte over a diagnostic naming the file") {
    Limits limits;
    limits.rule_file_bytes = 4096;
    std::string text = std::string(kHead) + kRule + "}\n";
    text += "#" + std::string(4096 - text.size() - 2, '-') + "\n";
    REQUIRE(text.size() == 4096);
    auto ok = load_with(limits, text);
    CHECK_MESSAGE(ok.ok(), ok.rendered);
    auto over = load_with(limits, text + "\n");
    CHECK_FALSE(over.ok());
    CHECK(mentions(over.rendered, "rules.cordon:1:1: error[E0306]: rule file is 4097 bytes, more than the limit of 4096 bytes (4 KiB)"));
    // The default, 4 MiB.
    std::string big = std::string(kHead) + kRule + "}\n";
    big += "#" + std::string(Limits{}.rule_file_bytes - big.size() - 1, '-');
    auto at = load_with(Limits{}, big);
    CHECK_MESSAGE(at.ok(), at.rendered);
    auto past = load_with(Limits{}, big + "-");
    CHECK(mentions(past.rendered, "error[E0306]: rule file is 4194305 bytes, more than the limit of 4194304 bytes (4 MiB)"));
}

TEST_CASE("expression depth: 256 levels load, 257 are a diagnostic, a chain of 10,000 terms does not crash") {
    for (const char* op : {" or ", " + "}) {
        const char* term = std::string_view(op) == " or " ? "customer.foreign" : "resource.tpp";
        auto wrap = [&](std::size_t n) {
            if (std::string_view(op) == " or ") return chain(n, op, term);
            std::string e = term;
            for (std::size_t i = 1; i < n; ++i) (e += op) += term;
            return std::string(kHead) + "  rule chain { deny when " + e + " > 1 because \"c\" cite \"c\" }\n}\n";
        };
        // An attribute `a.b` is two levels (a name and its field), so a chain of N terms is
        // N + 1 levels deep, and `x > 1` adds one more over a `+` chain.
        const std::size_t fits = std::string_view(op) == " or " ? 255 : 254;
        INFO(op);
        auto ok = load_rules(wrap(fits));
        CHECK_MESSAGE(ok.ok(), ok.rendered);
        auto over = load_rules(wrap(fits + 1));
        CHECK_FALSE(over.ok());
        CHECK(mentions(over.rendered, "error[E0306]: expression is more than 256 levels deep (the limit)"));
        CHECK(mentions(over.rendered, "rules.cordon:3:"));
        auto huge = load_rules(wrap(10'000));
        CHECK_FALSE(huge.ok());
        CHECK(mentions(huge.rendered, "error[E0306]"));
    }
    // Nested forms count too: 2 chains of 200 inside one another are 400 levels.
    std::string inner = "customer.foreign";
    for (int i = 1; i < 200; ++i) inner += " and customer.foreign";
    std::string outer = "(" + inner + ")";
    for (int i = 1; i < 200; ++i) outer += " or customer.foreign";
    auto nested = load_rules(std::string(kHead) + "  rule n { deny when " + outer + " because \"c\" cite \"c\" }\n}\n");
    CHECK_FALSE(nested.ok());
    CHECK(mentions(nested.rendered, "error[E0306]"));
    // A `let` body and a message hole are expressions too.
    Limits limits;
    limits.expression_depth = 4;
    auto let = load_with(limits, std::string(kHead) +
                                     "  let x = resource.tpp + 1 + 2 + 3 + 4\n  rule r { deny when x > 1 because \"c\" cite \"c\" }\n}\n");
    CHECK(mentions(let.rendered, "error[E0306]: expression is more than 4 levels deep (the limit)"));
    auto hole = load_with(limits, std::string(kHead) +
                                      "  rule r { deny when customer.foreign because \"{resource.tpp + 1 + 2 + 3 + 4}\" cite \"c\" }\n}\n");
    CHECK(mentions(hole.rendered, "error[E0306]"));
}

TEST_CASE("rule count: at the limit loaded, one more a diagnostic at the first rule past it") {
    Limits limits;
    limits.rules = 3;
    std::string rules = kHead;
    for (int i = 0; i < 3; ++i) rules += "  rule r" + std::to_string(i) + " { deny when customer.foreign because \"c\" cite \"c\" }\n";
    auto ok = load_with(limits, rules + "}\n");
    CHECK_MESSAGE(ok.ok(), ok.rendered);
    rules += "  rule r3 { deny when customer.foreign because \"c\" cite \"c\" }\n";
    auto over = load_with(limits, rules + "}\n");
    CHECK_FALSE(over.ok());
    CHECK(mentions(over.rendered, "rules.cordon:6:3: error[E0306]: the policy set has 4 rules, more than the limit of 3"));
}

TEST_CASE("a set's limits govern its sessions; a decoder can be given its own") {
    Limits limits;
    limits.list_elements = 2;
    auto l = load_with(limits, std::string(kHead) + kRule + "}\n");
    REQUIRE(l.ok());
    CHECK(l.result.set->limits().list_elements == 2);
    CHECK(input_error(*l.result.set, owners(2)) == "");
    CHECK(input_error(*l.result.set, owners(3)) == "customer.owners[2]: list has more than 2 elements (the limit)");
    Limits wide;
    RequestDecoder decoder(l.result.set->checked(), l.result.set->program(), wide);
    Request request;
    CHECK_FALSE(decoder.decode_json(owners(3), request));
}

TEST_CASE("a decoder gives back the memory of a large request when trimmed") {
    auto l = load_rules(std::string(kHead) + kRule + "}\n");
    REQUIRE(l.ok());
    Session s(*l.result.set);
    REQUIRE_FALSE(s.decoder.decode_json(request_with_name(1, 6u << 20), s.request));
    CHECK(s.decoder.retained_bytes() > (6u << 20));
    s.trim();
    CHECK(s.decoder.retained_bytes() < Limits{}.retained_buffer_bytes);
    // Small requests keep their buffers: warm requests allocate nothing.
    REQUIRE_FALSE(s.decoder.decode_json(request_with_name(1), s.request));
    const auto warm = s.decoder.retained_bytes();
    s.trim();
    CHECK(s.decoder.retained_bytes() == warm);
    REQUIRE_FALSE(s.decoder.decode_json(request_with_name(1), s.request));
}

TEST_CASE("a decoder's retained bytes count the copy it makes of an unpadded request") {
    // Found by mutation (session 19): the copy's bytes subtracted instead of added passed
    // every test. A text given with simdjson's padding after it is read in place; one
    // without is first copied, and that copy is kept too.
    auto l = load_rules(std::string(kHead) + kRule + "}\n");
    REQUIRE(l.ok());
    const std::string text = request_with_name(1, 6u << 20);
    const std::string padded = text + std::string(simdjson::SIMDJSON_PADDING, ' ');
    Session in_place(*l.result.set), copied(*l.result.set);
    REQUIRE_FALSE(in_place.decoder.decode_json(std::string_view(padded.data(), text.size()), in_place.request, true));
    REQUIRE_FALSE(copied.decoder.decode_json(text, copied.request));
    CHECK(copied.decoder.retained_bytes() >= in_place.decoder.retained_bytes() + text.size());
}

TEST_CASE("expression depth counts through lets: a chain of 10,000 lets is a diagnostic, not a crash") {
    auto lets = [](int n, bool reversed) {
        std::vector<std::string> lines{"  let l0 = customer.foreign\n"};
        for (int i = 1; i < n; ++i)
            lines.push_back("  let l" + std::to_string(i) + " = l" + std::to_string(i - 1) + " or customer.foreign\n");
        if (reversed) std::reverse(lines.begin(), lines.end());
        std::string s = kHead;
        for (const auto& l : lines) s += l;
        return s + "  rule r { deny when l" + std::to_string(n - 1) + " because \"c\" cite \"c\" }\n}\n";
    };
    // In the checked set an attribute is one level, so l0 is 1 and l{i} = `l{i-1} or x` is
    // 2i + 1 (the `or`, the reference, then l{i-1}); the rule's reference to l{n-1} adds one.
    auto ok = load_rules(lets(60, false));
    CHECK_MESSAGE(ok.ok(), ok.rendered);
    for (bool reversed : {false, true}) {
        auto deep = load_rules(lets(10'000, reversed));
        CHECK_FALSE(deep.ok());
        CHECK(mentions(deep.rendered, "error[E0306]"));
    }
    Limits limits;
    limits.expression_depth = 20;
    auto over = load_with(limits, lets(11, false));  // l10 is 21 levels
    CHECK(mentions(over.rendered, "error[E0306]: let `t.l10` is 21 levels deep counting the lets it uses, more than the limit of 20"));
    auto under = load_with(limits, lets(10, false));  // l9 is 19, the rule 20
    CHECK_MESSAGE(under.ok(), under.rendered);
}

// ------------------------------------------------------------------ compiled data

namespace {
// `key: [{since: ..., until: ..., v: N}]` for `keys` keys, each with days of its own: the
// table holds one key map per window of days, every key map as long as all strings.
std::string dated_rows(int keys) {
    std::string s;
    for (int i = 0; i < keys; ++i)
        s += fmt::format("k{}: [{{since: {}-01-01, until: {}-06-01, v: {}}}]\n", i, 2000 + i, 2000 + i, i);
    return s;
}
std::string uses_dated(const char* table) {
    return std::string(kHead) + "  use table t from \"" + table +
           "\"\n  rule d { deny when customer.name in t because \"d\" cite \"c\" }\n}\n";
}
}  // namespace

TEST_CASE("compiled data: a set whose bitsets and key maps would pass the limit is a diagnostic at the manifest") {
    CHECK(Limits{}.compiled_data_bytes == 256u * 1024 * 1024);
    // 20 keys with days of their own: 41 windows of days, each with a key map over every
    // string (the 676 two-letter codes, the schema's enum values, the data's strings).
    auto ok = load_with(Limits{}, uses_dated("data/dated.yaml"), {{"data/dated.yaml", dated_rows(20)}});
    REQUIRE_MESSAGE(ok.ok(), ok.rendered);
    Limits tight;
    tight.compiled_data_bytes = 40'000;  // the table's key maps alone: 41 windows x ~700 strings x 4 bytes
    auto over = load_with(tight, uses_dated("data/dated.yaml"), {{"data/dated.yaml", dated_rows(20)}});
    CHECK_FALSE(over.ok());
    CHECK_MESSAGE(mentions(over.rendered, "cordon.yaml:1:1: error[E0306]: the compiled sets and tables would take "), over.rendered);
    CHECK_MESSAGE(mentions(over.rendered, "more than the limit of 40000 ("), over.rendered);
    CHECK_MESSAGE(mentions(over.rendered, "windows of days: 41)"), over.rendered);
    // The same rows undated are one key map: under the same limit they load.
    std::string undated;
    for (int i = 0; i < 20; ++i) undated += fmt::format("k{}: {{v: {}}}\n", i, i);
    tight.compiled_data_bytes = 8'000;
    auto plain = load_with(tight, uses_dated("data/plain.yaml"), {{"data/plain.yaml", undated}});
    CHECK_MESSAGE(plain.ok(), plain.rendered);
}

TEST_CASE("compiled data: 40,000 keys with days of their own are refused, not built (about 6 GB)") {
    auto over = load_with(Limits{}, uses_dated("data/dated.yaml"), {{"data/dated.yaml", [] {
                              std::string s;
                              for (int i = 0; i < 40'000; ++i)
                                  s += fmt::format("k{}: [{{since: {}, until: {}, v: 1}}]\n", i, format_date(2 * i),
                                                   format_date(2 * i + 1));
                              return s;
                          }()}});
    CHECK_FALSE(over.ok());
    CHECK_MESSAGE(mentions(over.rendered, "error[E0306]: the compiled sets and tables would take"), over.rendered);
    CHECK_MESSAGE(mentions(over.rendered, "windows of days: 80001)"), over.rendered);
}

TEST_CASE("compiled data: the size checked at load is what compiling builds") {
    // policies/us (dated: Cambodia's D:5 membership) and a table of rows with days of their own.
    auto us = PolicySet::load(std::string(CORDON_SOURCE_DIR) + "/policies/us");
    REQUIRE(us.set);
    auto dated = load_with(Limits{}, uses_dated("data/dated.yaml"), {{"data/dated.yaml", dated_rows(20)}});
    REQUIRE_MESSAGE(dated.ok(), dated.rendered);
    for (const auto* set : {us.set.get(), dated.result.set.get()}) {
        const DataSize d = data_size(set->checked());
        const Program& p = set->program();
        CHECK(d.strings == p.strings.size());
        CHECK(d.windows == p.set_windows());
        CHECK(d.bitsets == set->checked().sets.size());
        // Exactly the sets' bitsets (the first sets of the program: unions come after
        // them, within the `unions` pass's own budget), the tables' key maps and cells.
        const std::size_t sets = set->checked().sets.size();
        const std::size_t set_bytes = (sets < p.set_offset.size() ? p.set_offset[sets] : p.set_bits.size()) * 8;
        std::size_t table_bytes = 0;
        for (const auto& t : p.tables) table_bytes += t.row_of.size() * 4 + t.cells.size() * sizeof(Value);
        CHECK(set_bytes + table_bytes == d.bytes);
    }
    CHECK(data_size(us.set->checked()).windows == 2);  // Cambodia left D:5 on 2025-11-07
}
