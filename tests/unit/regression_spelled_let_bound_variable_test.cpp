// A rule that writes out the body of a let with a parameter, over its own bound variable,
// decides per element (spelled_lets must not read such a let's cache).
#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

TEST_CASE("a rule spelling out a parametrised let's body with its own bound variable evaluates it per element") {
    // `listed(c)`'s body reads its parameter, a bound variable: it has one value per call, so
    // a rule writing the same text over a quantifier's variable must not read a cached value.
    // Written for the session-16 survivor #1643 (spelled_lets' bound-variable test made
    // `&&`), which it does not kill: the two bodies are not one node (docs/mutation.md).
    std::string schema = kSchema;
    schema += "via: [country]\n";
    const char* rules = R"(
policy p {
  status in_force
  use sets from "data/groups.yaml"
  let listed(c) = c in D5
  rule a { report when listed(customer.country) because "a" cite "c" }
  rule b { deny when any c in via: c in D5 because "b" cite "c" }
}
)";
    auto l = load_rules(rules, {{"schema.yaml", schema}});
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    auto request = [](const std::string& country, const std::string& via) {
        return R"({"customer": {"name": "A", "country": ")" + country + R"(", "hq_country": "FR", "foreign": true,
  "identity_verified": true, "owners": []}, "intermediaries": [], "resource": {"chip": "X"},
  "workload": {"kind": "training"}, "license": {"granted": false}, "via": )" + via + "}";
    };
    CHECK(decide(set, request("CN", R"(["FR", "DE"])")).fired == Ids{"p.a"});
    CHECK(decide(set, request("FR", R"(["FR", "RU"])")).fired == Ids{"p.b"});
    CHECK(decide(set, request("CN", R"(["RU"])")).fired == Ids{"p.a", "p.b"});
    CHECK(decide(set, request("FR", "[]")).verdict == "allow");
}
