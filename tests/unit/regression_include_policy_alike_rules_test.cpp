// Regressions (found reading a session-16 mutation survivor, evaluate.cpp's `run_all`): rules
// alike in two policies were grouped (twins: the same conditions; families: the same but for
// one threshold) when their status and window of days matched, and the group's head settled
// every member. But `--include-policy` (EvalOptions::policies) enforces a policy by name,
// whatever its status: then one policy of the group is enforced and the other is not, and
// the head fired the other's rule too. With an `allow` in the policy left out, that was a
// wrong ALLOW. Groups still span policies (the synthetic benchmark set's 5,187 twins mostly
// do); when options part one, the evaluator decides every rule on its own (docs/engine.md,
// "Groups and policies included by name"). Every case below is also decided by the
// reference evaluator (support.hpp).
#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

const char* kRequest = R"({"customer": {"name": "A", "country": "CN", "hq_country": "CN", "foreign": true,
  "identity_verified": true}, "intermediaries": [], "resource": {"chip": "X", "tpp": 2000},
  "workload": {"kind": "training"}, "license": {"granted": false}})";

const char* kDenyByDefault = "name: test\nschema: schema.yaml\ndefault: deny\non_error: deny\n";

}  // namespace

TEST_CASE("twins in two proposed policies: including one by name fires its rule only") {
    const char* rules = R"(
policy draft_a {
  status proposed
  rule report_cn { report when customer.country == "CN" because "draft A reports CN" cite "draft A" }
}
policy draft_b {
  status proposed
  rule allow_cn { allow when customer.country == "CN" because "draft B allows CN" cite "draft B" }
}
)";
    auto l = load_rules(rules, {{"cordon.yaml", kDenyByDefault}});
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    // Draft A alone: its report, and the default's deny (draft B's allow is not enforced).
    const auto a = decide(set, kRequest, "2024-11-18", {}, {"draft_a"});
    CHECK(a.fired == Ids{"draft_a.report_cn"});
    CHECK(a.verdict == "deny");
    // Draft B alone: its allow.
    const auto b = decide(set, kRequest, "2024-11-18", {}, {"draft_b"});
    CHECK(b.fired == Ids{"draft_b.allow_cn"});
    CHECK(b.verdict == "allow");
    // Both by name, or both by status: both fire.
    CHECK(decide(set, kRequest, "2024-11-18", {}, {"draft_a", "draft_b"}).fired == Ids{"draft_a.report_cn", "draft_b.allow_cn"});
    CHECK(decide(set, kRequest, "2024-11-18", {Status::Proposed}).fired == Ids{"draft_a.report_cn", "draft_b.allow_cn"});
    // Neither: the default.
    CHECK(decide(set, kRequest).verdict == "deny");
    CHECK(decide(set, kRequest).fired.empty());
}

TEST_CASE("a family (alike but for a threshold) across two proposed policies: including one fires its rule only") {
    const char* rules = R"(
policy strict {
  status proposed
  rule tpp_1600 { deny when customer.country == "CN" and has resource.tpp and resource.tpp >= 1600 because "strict: {resource.tpp}" cite "s" }
}
policy lenient {
  status proposed
  rule tpp_4800 { deny when customer.country == "CN" and has resource.tpp and resource.tpp >= 4800 because "lenient: {resource.tpp}" cite "l" }
  rule tpp_1000 { report when customer.country == "CN" and has resource.tpp and resource.tpp >= 1000 because "lenient reports" cite "l" }
}
)";
    auto l = load_rules(rules);
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    // tpp 2000: the strict draft denies; the lenient one only reports. (The three rules were
    // one family led by the least demanding, the lenient report: with the lenient draft
    // alone it fired the strict deny too; with the strict draft alone nothing ran: ALLOW.)
    const auto lenient = decide(set, kRequest, "2024-11-18", {}, {"lenient"});
    CHECK(lenient.fired == Ids{"lenient.tpp_1000"});
    CHECK(lenient.verdict == "report");
    const auto strict = decide(set, kRequest, "2024-11-18", {}, {"strict"});
    CHECK(strict.fired == Ids{"strict.tpp_1600"});
    CHECK(strict.verdict == "deny");
    CHECK(decide(set, kRequest, "2024-11-18", {Status::Proposed}).fired == Ids{"lenient.tpp_1000", "strict.tpp_1600"});
}
