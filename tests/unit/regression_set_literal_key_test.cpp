// Regression (found by the differential test's permuted sets): two set literals whose
// members joined with "," read the same were one set. `{""}` and `{}` both became "{}",
// and `{"a,b"}` and `{"a", "b"}` both "{a,b}", so whichever the checker met first
// decided both: `"" in {}` was true, and a rule's meaning depended on the order of rules.
#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

const char* kSchemaB = "b: string\n";

std::string policy(const std::string& first, const std::string& second) {
    return "policy p {\n  status in_force\n" + first + second + "}\n";
}

}  // namespace

TEST_CASE("regression: `{}` and `{\"\"}` are different sets, in either order") {
    const std::string empty = "  rule empty { report when b in {} because \"e\" }\n";
    const std::string blank = "  rule blank { deny when b in {\"\", \"\"} because \"b\" }\n";
    for (const auto& rules : {policy(empty, blank), policy(blank, empty)}) {
        auto l = load_rules(rules, {{"schema.yaml", kSchemaB}});
        REQUIRE_MESSAGE(l.ok(), l.rendered);
        CHECK(decide(*l.result.set, R"({"b": ""})").fired == Ids{"p.blank"});
        CHECK(decide(*l.result.set, R"({"b": "x"})").fired == Ids{});
    }
}

TEST_CASE("regression: `{\"a,b\"}` and `{\"a\", \"b\"}` are different sets, in either order") {
    const std::string one = "  rule one { deny when b in {\"a,b\"} because \"1\" }\n";
    const std::string two = "  rule two { report when b in {\"a\", \"b\"} because \"2\" }\n";
    for (const auto& rules : {policy(one, two), policy(two, one)}) {
        auto l = load_rules(rules, {{"schema.yaml", kSchemaB}});
        REQUIRE_MESSAGE(l.ok(), l.rendered);
        CHECK(decide(*l.result.set, R"({"b": "a"})").fired == Ids{"p.two"});
        CHECK(decide(*l.result.set, R"({"b": "a,b"})").fired == Ids{"p.one"});
    }
}
