// Regression (issue 18, item 20): messages that named the wrong problem ("expected a string,
// got a string" for a lone surrogate, "number out of range", "not a JSON value" for a
// byte-order mark, simdjson's "Empty: no JSON found", yaml-cpp's "bad file" and "bad
// conversion") or echoed a key of megabytes whole. Each now says what is wrong, quoting a
// short excerpt at most.
#include "cordon/dsl/text.hpp"
#include "cordon/engine/decode.hpp"
#include "cordon/tools/test_runner.hpp"

#include <yaml-cpp/yaml.h>

#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {
const char* kRules = "policy p {\n  status in_force\n  rule r { deny when customer.foreign or resource.count > 1 because \"m\" cite \"c\" }\n}\n";

std::string input_error(const std::string& request) {
    static auto l = load_rules(kRules);
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    return decide(*l.result.set, request).input_error;
}
}  // namespace

TEST_CASE("issue 18.20: a lone surrogate or a bad escape is named, not \"expected a string, got a string\"") {
    CHECK(input_error(R"({"customer": {"name": "\ud800"}})") ==
          "customer.name: malformed JSON string: `\\ud800` is a lone surrogate (it must be followed by a "
          "\\uDC00-\\uDFFF escape)");
    CHECK(input_error(R"({"customer": {"name": "a\udc00"}})").find("`\\udc00` is a lone low surrogate") !=
          std::string::npos);
    CHECK(input_error(R"({"id": "\ud800x"})").find("id: malformed JSON string: `\\ud800` is a lone surrogate") == 0);
    CHECK(input_error(R"({"customer": {"name": "\x41"}})") ==
          "customer.name: malformed JSON string: `\\x` is not a JSON escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
    CHECK(input_error(R"({"customer": {"name": "\u12"}})").find("\\u takes four hex digits") != std::string::npos);
    CHECK(input_error(R"({"customer": {"n\q": 1}})") ==
          "customer: in a key: malformed JSON string: `\\q` is not a JSON escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t "
          "\\uXXXX)");
    // A surrogate pair is one character, and fine.
    CHECK(input_error(R"({"customer": {"name": "\ud83d\ude00"}, "x": 1})").find("surrogate") == std::string::npos);
}

TEST_CASE("issue 18.20: a number too large says so, with the number") {
    CHECK(input_error(R"({"resource": {"count": 1e999}})") ==
          "resource.count: number `1e999` is out of range (a number is at most about 1.8e308 in size)");
    // Already fixed before this change (item 6): `0x10` and `tXYZ` are malformed atoms.
    CHECK(input_error(R"({"resource": {"count": 0x10}})").find("malformed JSON value `0x10`") != std::string::npos);
    CHECK(input_error(R"({"customer": {"foreign": tXYZ}})").find("malformed JSON value `tXYZ`") != std::string::npos);
}

TEST_CASE("issue 18.20: an empty request, a byte-order mark and bytes that are not UTF-8 are named") {
    CHECK(input_error("") == ": the request is empty (no JSON text)");
    CHECK(input_error(" \n") == ": the request holds only white space (no JSON text)");
    CHECK(input_error("\xef\xbb\xbf{}") ==
          ": malformed JSON: the text starts with a UTF-8 byte-order mark (bytes EF BB BF); save it without one");
    CHECK(input_error("{\"id\": \"a\xff\"}") ==
          ": malformed JSON: the text is not valid UTF-8 (byte 0xFF at byte offset 9)");
}

TEST_CASE("issue 18.20: a long unknown key or value is clipped in the message") {
    const std::string key(1'000'000, 'k');
    const auto message = input_error("{\"customer\": {\"" + key + "\": 1}}");
    CHECK(message.size() < 200);
    CHECK(message == "customer." + std::string(80, 'k') + "...: unknown field (not declared in the schema)");
    CHECK(clip("caf\xc3\xa9", 4) == "caf...");  // never cut inside a character
    CHECK(clip("short") == "short");
}

TEST_CASE("issue 18.20: a long source line is shown as 80 characters around the column, caret in place") {
    std::string line = "policy p {\n  status in_force\n  rule r { deny when customer.foreign or " +
                       std::string(3000, ' ') + "nope because \"m\" cite \"c\" }\n}\n";
    auto l = load_rules(line);
    REQUIRE_FALSE(l.ok());
    INFO(l.rendered);
    const auto at = l.rendered.find("    3 | ...");
    REQUIRE(at != std::string::npos);
    const auto end = l.rendered.find('\n', at);
    const std::string shown = l.rendered.substr(at, end - at);
    CHECK(shown.size() <= 8 + 3 + 80 + 3);
    const auto caret_line = l.rendered.substr(end + 1, l.rendered.find('\n', end + 1) - end - 1);
    const auto caret = caret_line.find('^');
    REQUIRE(caret != std::string::npos);
    CHECK(shown.substr(caret, 4) == "nope");
}

TEST_CASE("issue 18.20: deep YAML nesting and wrong types in a test file name the problem") {
    TempPolicySet set({{"rules.cordon", kRules},
                       {"deep.test.yaml", "policy_set: .\ncases: " + std::string(5000, '[') + std::string(5000, ']')},
                       {"typed.test.yaml", "policy_set: {a: 1}\ncases: []\n"},
                       {"name.test.yaml", "policy_set: .\ncases:\n- name: [x]\n  request: {}\n  expect: {decision: deny}\n"}});
    auto text = [&](const char* file) {
        const auto r = run_tests(set.dir() + "/" + file, TestOptions{});
        return render_all(r.diagnostics, *r.sources);
    };
    const auto deep = text("deep.test.yaml");
    CHECK(deep.find("malformed YAML: nested too deeply") != std::string::npos);
    CHECK(deep.find("bad file") == std::string::npos);
    CHECK(deep.size() < 600);  // the 10,000-byte line is clipped
    CHECK(text("typed.test.yaml").find("typed.test.yaml:1:13: error[E0305]: `policy_set` must be a single value, not a map") !=
          std::string::npos);
    CHECK(text("name.test.yaml").find("name.test.yaml:3:9: error[E0305]: a case's `name` must be a single value, not a list") !=
          std::string::npos);
}

TEST_CASE("issue 18.20: yaml_problem names the problem behind yaml-cpp's text") {
    CHECK(yaml_problem(std::bad_alloc()) == "out of memory while reading the YAML");
    try {
        YAML::Load("a: \"\\ud800\"");
        FAIL("yaml-cpp accepted a lone surrogate");
    } catch (const YAML::Exception& e) {
        CHECK(yaml_problem(e).find("the escape for U+D800 is not a character: a lone surrogate") == 0);
    }
}
