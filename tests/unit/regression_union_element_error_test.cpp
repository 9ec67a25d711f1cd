// Regressions (found by mutation, plan.cpp `union_of`): `x.f in S or x.f == "s"` over a
// list's elements becomes one set test on the element field; when an element lacks the
// field, the error must name that field, as the unfused test (and the reference) does.
#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

TEST_CASE("a union of element tests that fails on an absent field names that field") {
    const char* schema = R"(time: date?
customer: { name: string, country: country }
parties:
  - { name: string, country: country? }
)";
    const char* rules = R"(
policy p {
  status in_force
  use sets from "data/groups.yaml"
  rule r { deny when any x in parties: x.country in D5 or x.country == "MO" because "r" cite "c" }
}
)";
    for (const char* passes : {"", "unions"}) {
        INFO("passes off: " << std::string(passes));
        CompileOptions off;
        if (*passes) REQUIRE(!off.set(passes, false));
        TempPolicySet tmp(std::map<std::string, std::string>{{"schema.yaml", schema}, {"rules.cordon", rules}});
        auto loaded = PolicySet::load(tmp.dir(), off);
        INFO(render_all(loaded.diagnostics, *loaded.sources));
        REQUIRE(loaded.set);
        const auto& set = *loaded.set;
        const auto customer = std::string(R"({"customer": {"name": "A", "country": "FR"}, "parties": )");
        const auto absent = decide(set, customer + R"([{"name": "B"}]})");
        CHECK(absent.errors == Ids{"p.r"});
        CHECK(absent.json.find("read attribute `parties[].country`") != std::string::npos);
        CHECK(decide(set, customer + R"([{"name": "B"}, {"name": "C", "country": "MO"}]})").fired == Ids{"p.r"});
        CHECK(decide(set, customer + R"([{"name": "B", "country": "DE"}]})").verdict == "allow");
    }
}

TEST_CASE("a union of two element string tests (`x.f == \"a\" or x.f == \"b\"`) tests each element's field") {
    // (Found by mutation: the union of two `==` tests on an element field read as a root
    // attribute's test would read whatever root attribute has the field's slot number.)
    const char* rules = R"(
policy p {
  status in_force
  rule r { deny when any x in intermediaries: x.country == "CN" or x.country == "RU" because "r" cite "c" }
}
)";
    auto l = load_rules(rules);
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    auto request = [](const std::string& customer, const std::string& broker) {
        return R"({"customer": {"name": "A", "country": ")" + customer + R"(", "hq_country": ")" + customer +
               R"(", "foreign": true, "identity_verified": true, "owners": []},
  "intermediaries": [{"name": "B", "country": ")" + broker + R"(", "role": "broker"}],
  "resource": {"chip": "X"}, "workload": {"kind": "training"}, "license": {"granted": false}})";
    };
    CHECK(decide(set, request("FR", "RU")).fired == Ids{"p.r"});
    CHECK(decide(set, request("FR", "CN")).fired == Ids{"p.r"});
    CHECK(decide(set, request("CN", "FR")).verdict == "allow");
    CHECK(decide(set, request("RU", "DE")).verdict == "allow");
}
