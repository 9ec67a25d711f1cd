// Regression (issue 18, item 18): bytes that are not UTF-8 in a rule file, the manifest, a
// data file or a test file were accepted and reached decisions and JSON output. They are
// now refused at load with error E0307 naming the file, line, column and byte offset.
#include <fmt/format.h>

#include "cordon/dsl/text.hpp"
#include "cordon/tools/test_runner.hpp"

#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {
const char* kRules = "policy p {\n  status in_force\n  use sets from \"data/groups.yaml\"\n"
                     "  rule r { deny when customer.country in D5 because \"MSG\" cite \"C\" }\n}\n";

std::string with(std::string text, const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
    return text;
}

// The one diagnostic of a load that must fail on invalid UTF-8, rendered.
std::string refused(std::map<std::string, std::string> files) {
    files.emplace("rules.cordon", kRules);  // unless the test gives its own
    auto l = load_rules("", files);
    CHECK_FALSE(l.ok());
    bool found = false;
    for (const auto& d : l.result.diagnostics.items()) found = found || d.code == std::string(diag::kNotUtf8);
    CHECK_MESSAGE(found, l.rendered);
    return l.rendered;
}
}  // namespace

TEST_CASE("issue 18.18: utf8_sequence and first_invalid_utf8 follow RFC 3629") {
    CHECK_FALSE(first_invalid_utf8("plain ASCII, ü, 中, 😀"));
    CHECK(first_invalid_utf8("ab\xff") == 2u);
    CHECK(first_invalid_utf8("\x80") == 0u);             // a stray continuation byte
    CHECK(first_invalid_utf8("a\xc0\xaf") == 1u);        // an overlong '/'
    CHECK(first_invalid_utf8("\xed\xa0\x80") == 0u);     // an encoded surrogate (U+D800)
    CHECK(first_invalid_utf8("\xf4\x90\x80\x80") == 0u); // above U+10FFFF
    CHECK(first_invalid_utf8("ok\xe4\xb8") == 2u);       // cut short
    CHECK(utf8_sequence("\xe4\xb8\xad", 0) == 3u);
}

TEST_CASE("issue 18.18: a rule string that is not UTF-8 is error E0307 at its line, column and byte offset") {
    const auto text = refused({{"rules.cordon", with(kRules, "MSG", "bad \xff byte")}});
    CHECK(text.find("rules.cordon:4:") != std::string::npos);
    CHECK(text.find("error[E0307]: the text is not valid UTF-8: byte 0xFF at byte offset") != std::string::npos);
    const auto offset = std::string(kRules).find("MSG") + 4;
    CHECK(text.find(fmt::format("byte offset {} ", offset)) != std::string::npos);
    // A cite and a rule id are in the same file: refused the same way.
    refused({{"rules.cordon", with(kRules, "\"C\"", "\"\xc3\"")}});
}

TEST_CASE("issue 18.18: the manifest name, a set member and a table cell that are not UTF-8 are refused") {
    CHECK(refused({{"cordon.yaml", "name: t\xe9st\nschema: schema.yaml\ndefault: allow\non_error: deny\n"}})
              .find("cordon.yaml:1:8: error[E0307]") != std::string::npos);
    CHECK(refused({{"data/groups.yaml", "D5: [CN, \"R\xc0\xafU\"]\n"}}).find("groups.yaml:1:12: error[E0307]") !=
          std::string::npos);
    const std::string rules = "policy p {\n  status in_force\n  use table chips from \"data/chips.yaml\"\n"
                              "  rule r { deny when chips[resource.chip].class == \"x\" because \"m\" cite \"c\" }\n}\n";
    auto l = load_rules(rules, {{"data/chips.yaml", "H100: {class: \"3A090\x80\"}\n"}});
    CHECK_FALSE(l.ok());
    CHECK(l.rendered.find("chips.yaml:1:21: error[E0307]") != std::string::npos);
}

TEST_CASE("issue 18.18: a test file that is not UTF-8 is refused, not run") {
    TempPolicySet set({{"rules.cordon", kRules},
                       {"bad.test.yaml", "policy_set: .\ncases:\n- name: \"caf\xe9\"\n  request: {}\n"
                                         "  expect: {decision: deny}\n"}});
    const auto report = run_tests(set.dir() + "/bad.test.yaml", TestOptions{});
    const auto text = render_all(report.diagnostics, *report.sources);
    CHECK(report.cases.empty());
    CHECK(text.find("bad.test.yaml:3:13: error[E0307]: the text is not valid UTF-8: byte 0xE9 at byte offset 33") !=
          std::string::npos);
}
