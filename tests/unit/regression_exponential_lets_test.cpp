// Issue 18 item 8: `let a1 = a0 and a0` ... `let a60 = a59 and a59` (66 lines) hung every
// command (the planner's key-table analysis walked shared let bodies once per path, and
// the reference evaluator evaluated each let once per use); parameterised lets calling the
// previous one twice expanded to gigabytes in the checker. Now the first loads and decides
// at once, and the second is a clear limit error.
#include <doctest/doctest.h>

#include <string>

#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

TEST_CASE("regression: a chain of 60 lets, each using the previous one twice, loads and decides") {
    std::string rules = "policy p {\n  status in_force\n  let a0 = has resource.tpp\n";
    for (int i = 1; i <= 60; ++i) rules += "  let a" + std::to_string(i) + " = a" + std::to_string(i - 1) + " and a" + std::to_string(i - 1) + "\n";
    rules += "  rule r {\n    deny when a60\n    because \"x\"\n    cite \"c\"\n  }\n}\n";
    auto l = load_rules(rules);
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    const std::string request = R"({"customer": {"name": "x", "country": "CN", "hq_country": "CN", "foreign": true, "identity_verified": true, "owners": []}, "intermediaries": [], "resource": {"chip": "H100-SXM", "tpp": 5000}, "workload": {"kind": "training"}, "license": {"granted": false}})";
    // (support.hpp's decide asks the reference evaluator too.)
    CHECK(decide(*l.result.set, request).verdict == "deny");
}

TEST_CASE("regression: parameterised lets that double at each step are a limit error, not gigabytes") {
    std::string rules = "policy p {\n  status in_force\n  let p0(c) = c in {\"CN\", \"MO\"}\n";
    for (int i = 1; i <= 40; ++i) rules += "  let p" + std::to_string(i) + "(c) = p" + std::to_string(i - 1) + "(c) and p" + std::to_string(i - 1) + "(c)\n";
    rules += "  rule r {\n    deny when p40(customer.hq_country)\n    because \"x\"\n    cite \"c\"\n  }\n}\n";
    auto l = load_rules(rules);
    CHECK_FALSE(l.ok());
    CHECK(l.rendered.find("error[E0306]: calls of parameterised lets expand to more than 100000 copies (the limit)") !=
          std::string::npos);
}
