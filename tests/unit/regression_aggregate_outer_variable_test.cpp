// Regressions (found by mutation, session 13, evaluate.cpp's Count/Sum): `sum(o in L where
// o.f in S: v)` has a fast path that adds the field `v` of each element in S. It holds only
// when `v` is a field of `o` itself; a value read from an outer quantifier's element
// (`p.share` below) is one number for the whole sum, multiplied by the count.
#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

std::string owners_request(const std::string& owners) {
    return R"({"customer": {"name": "A", "country": "FR", "hq_country": "FR", "foreign": true,
  "identity_verified": true, "owners": [)" + owners + R"(]},
  "intermediaries": [], "resource": {"chip": "X"}, "workload": {"kind": "training"},
  "license": {"granted": false}})";
}

}  // namespace

TEST_CASE("a sum whose value is an outer variable's field adds that one value per element") {
    // For some owner p: (the number of D:5 owners) x p.share >= 0.5.
    const char* rules = R"(
policy p {
  status in_force
  use sets from "data/groups.yaml"
  rule r { deny when any p in customer.owners: sum(o in customer.owners where o.country in D5: p.share) >= 0.5 because "r" cite "c" }
}
)";
    auto l = load_rules(rules);
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    // One D:5 owner, so the sum is p.share: the French owner's 0.6 fires the rule (adding the
    // D:5 owners' own shares instead would give 0.3, and allow).
    CHECK(decide(set, owners_request(R"({"name": "B", "country": "CN", "share": 0.3}, {"name": "C", "country": "FR", "share": 0.6})"))
              .fired == Ids{"p.r"});
    // Two D:5 owners of 0.3 each: 2 x 0.3 = 0.6 for either.
    CHECK(decide(set, owners_request(R"({"name": "B", "country": "CN", "share": 0.3}, {"name": "C", "country": "RU", "share": 0.3})"))
              .fired == Ids{"p.r"});
    // No D:5 owner: every sum is 0.
    CHECK(decide(set, owners_request(R"({"name": "B", "country": "DE", "share": 0.9})")).verdict == "allow");
}

TEST_CASE("a sum of the element's own field over the elements in a set (the fast path)") {
    const char* rules = R"(
policy p {
  status in_force
  use sets from "data/groups.yaml"
  rule r { deny when sum(o in customer.owners where o.country in D5: o.share) >= 0.5 because "r" cite "c" }
}
)";
    auto l = load_rules(rules);
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    CHECK(decide(set, owners_request(R"({"name": "B", "country": "CN", "share": 0.3}, {"name": "C", "country": "FR", "share": 0.6})"))
              .verdict == "allow");
    CHECK(decide(set, owners_request(R"({"name": "B", "country": "CN", "share": 0.3}, {"name": "C", "country": "RU", "share": 0.3})"))
              .fired == Ids{"p.r"});
}
