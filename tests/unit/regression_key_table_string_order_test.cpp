// Regressions (found by mutation, session 13, key_tables.cpp `reads_of`): a let that orders a
// string attribute by its text (`resource.chip > "M"`) must get no key table. A table holds one
// value for every string the request brings itself (strings the program does not know), and
// such strings fall on both sides of "M". A mutant that let string comparisons through (and
// kept number comparisons out) passed every other test.
#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

std::string chip_request(const std::string& chip) {
    return R"({"customer": {"name": "A", "country": "FR", "hq_country": "FR", "foreign": true,
  "identity_verified": true, "owners": []}, "intermediaries": [],
  "resource": {"chip": ")" + chip + R"("}, "workload": {"kind": "training"}, "license": {"granted": false}})";
}

}  // namespace

TEST_CASE("a costly let ordering a string attribute decides each request's own string by its text") {
    // Costly enough for a key table (six comparisons), and keyed on one string attribute.
    const char* rules = R"(
policy p {
  status in_force
  let band = (resource.chip > "M" and resource.chip < "P") or (resource.chip > "a" and resource.chip < "c") or (resource.chip > "q" and resource.chip < "s")
  rule r { deny when band because "chip name in a listed band" cite "c" }
}
)";
    auto l = load_rules(rules);
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    // None of these names is a string of the program: each is the request's own.
    CHECK(decide(set, chip_request("N-100")).fired == Ids{"p.r"});
    CHECK(decide(set, chip_request("b200")).fired == Ids{"p.r"});
    CHECK(decide(set, chip_request("r9")).fired == Ids{"p.r"});
    CHECK(decide(set, chip_request("X-1")).verdict == "allow");
    CHECK(decide(set, chip_request("A100")).verdict == "allow");
    CHECK(decide(set, chip_request("t")).verdict == "allow");
    // The program's own strings too.
    CHECK(decide(set, chip_request("M")).verdict == "allow");
    CHECK(decide(set, chip_request("P")).verdict == "allow");
}
