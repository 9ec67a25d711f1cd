// Regression (issue 18, item 8): a chain `let a1 = a0 and a0` ... `let a60 = a59 and a59`
// (66 lines) hung every command: the planner, and the reference evaluator on each
// decision, walked let bodies once per path (2^60 of them). Each let is now walked once.
#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

TEST_CASE("issue 18.8: a chain of lets each using the previous twice loads and decides at once") {
    std::string rules = "policy t {\n  status in_force\n  let a0 = flag\n";
    for (int i = 1; i <= 60; ++i)
        rules += "  let a" + std::to_string(i) + " = a" + std::to_string(i - 1) + " and a" + std::to_string(i - 1) + "\n";
    rules += "  rule r { deny when a60 because \"x\" }\n}\n";
    auto l = load_rules(rules, {{"schema.yaml", "flag: bool\n"}});
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    // decide() runs the fast and the reference evaluator and compares them.
    CHECK(decide(*l.result.set, R"({"flag": true})").fired == Ids{"t.r"});
    CHECK(decide(*l.result.set, R"({"flag": false})").verdict == "allow");
}
