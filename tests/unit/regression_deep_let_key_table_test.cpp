// Regression (mutation site `reads_of` depth cap, engine/src/passes/plan.cpp): a let whose
// walk is cut off past 64 levels must count as "reads unknown attributes" (no key table).
// If it counted as "reads nothing more", a let keyed on one string attribute that also reads
// a number below that depth would get a key table ignoring the number, and answer as if the
// number were absent.
#include <string>

#include "program/program.hpp"
#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

// `let hot = customer.country == "CN" and resource.tpp + 1 + ... + 1 >= 4800 + ones`: the
// attribute `resource.tpp` sits `ones + 2` levels below the let's body.
std::string deep_let_rules(int ones) {
    std::string sum = "resource.tpp";
    for (int i = 0; i < ones; ++i) sum += " + 1";
    return "policy p {\n  status in_force\n  let hot = customer.country == \"CN\" and " + sum + " >= " +
           std::to_string(4800 + ones) + "\n  rule deep { deny when hot because \"hot\" cite \"c\" }\n}\n";
}

std::string request(const std::string& country, const std::string& tpp) {
    return R"({"customer": {"name": "A", "country": ")" + country + R"(", "hq_country": ")" + country +
           R"(", "foreign": true, "identity_verified": true, "owners": []}, "intermediaries": [],
  "resource": {"chip": "X")" + (tpp.empty() ? std::string() : ", \"tpp\": " + tpp) +
           R"(}, "workload": {"kind": "training"}, "license": {"granted": false}})";
}

}  // namespace

TEST_CASE("a let that reads a number more than 64 levels down is decided on that number (reads_of's depth cap)") {
    for (const int ones : {10, 70, 100}) {
        INFO("ones: " << ones);
        auto l = load_rules(deep_let_rules(ones));
        INFO(l.rendered);
        REQUIRE(l.ok());
        const auto& set = *l.result.set;
        const auto hot = decide(set, request("CN", "5000"));
        CHECK(hot.verdict == "deny");
        CHECK(hot.fired == Ids{"p.deep"});
        CHECK(hot.errors.empty());
        CHECK(decide(set, request("CN", "4800")).fired == Ids{"p.deep"});
        const auto cool = decide(set, request("CN", "4799"));
        CHECK(cool.verdict == "allow");
        CHECK(cool.errors.empty());
        const auto unknown = decide(set, request("CN", ""));  // tpp absent: the rule fails closed
        CHECK(unknown.verdict == "deny");
        CHECK(unknown.fired.empty());
        CHECK(unknown.errors == Ids{"p.deep"});
        CHECK(decide(set, request("US", "5000")).verdict == "allow");
    }
}
