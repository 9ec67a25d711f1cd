// The evaluator's two caches do their rare work only when they must (Evaluator's counters):
// the active rules are worked out again only when the options' statuses, policies or
// window of days change, and the let cache is cleared only when its generation wraps
// around, not on every request. Decisions are checked as well, so a cache kept too long
// would show as a wrong decision.
#include <memory>
#include <string>
#include <vector>

#include "program/program.hpp"
#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

const char* kRules = R"(
policy p {
  status in_force
  use sets from "data/groups.yaml"
  let restricted = customer.country in D5 or customer.hq_country in D5
  rule a { deny when restricted and resource.tpp > 4800 because "a" cite "c" }
  rule b { report when restricted and not license.granted because "b" cite "c" }
}
policy q {
  status proposed
  rule d { deny when customer.country == "DE" because "d" cite "c" }
}
)";

std::string request(const std::string& country, int tpp) {
    return R"({"customer": {"name": "A", "country": ")" + country + R"(", "hq_country": ")" + country +
           R"(", "foreign": true, "identity_verified": true, "owners": []}, "intermediaries": [],
  "resource": {"chip": "X", "tpp": )" + std::to_string(tpp) +
           R"(}, "workload": {"kind": "training"}, "license": {"granted": false}})";
}

// kRules loaded, and one session deciding on 2024-11-18 with `include` statuses as well.
struct Deciding {
    Deciding() : l(load_rules(kRules)) {
        INFO(l.rendered);
        REQUIRE(l.ok());
        s = std::make_unique<Session>(*l.result.set);
    }
    Verdict decide(const std::string& country, int tpp, const std::vector<Status>& include = {},
                   const std::vector<std::uint32_t>* policies = nullptr) {
        REQUIRE(!s->decoder.decode_json(request(country, tpp), s->request));
        const auto& set = *l.result.set;
        s->evaluator.decide(s->request, set.options(s->request, *parse_date("2024-11-18"), include, policies), s->decision);
        return s->decision.verdict;
    }
    Loaded l;
    std::unique_ptr<Session> s;
};

}  // namespace

TEST_CASE("the active rules are worked out again only when the enforced statuses change") {
    Deciding d;
    const Evaluator& ev = d.s->evaluator;
    CHECK(ev.active_refreshes() == 0);
    CHECK(d.decide("CN", 5000) == Verdict::Deny);
    CHECK(d.decide("DE", 5000) == Verdict::Allow);
    CHECK(d.decide("CN", 100) == Verdict::Report);
    CHECK(ev.active_refreshes() == 1);
    CHECK(d.decide("DE", 5000, {Status::Proposed}) == Verdict::Deny);  // q.d now enforced
    CHECK(ev.active_refreshes() == 2);
    CHECK(d.decide("DE", 100, {Status::Proposed}) == Verdict::Deny);
    CHECK(ev.active_refreshes() == 2);
    CHECK(d.decide("DE", 5000) == Verdict::Allow);  // and not any more
    CHECK(ev.active_refreshes() == 3);
}

TEST_CASE("one list of included policies, refilled between decisions, is seen afresh each time") {
    // An embedder may keep one vector for --include-policy and refill it per request. The
    // active rules were kept by the list's address, so a refilled list went unseen (found
    // by the differential test's harness, which did just that, in session 16).
    Deciding d;
    const Evaluator& ev = d.s->evaluator;
    const auto q = static_cast<std::uint32_t>(d.l.result.set->policy_index("q"));
    std::vector<std::uint32_t> included;
    CHECK(d.decide("DE", 5000, {}, &included) == Verdict::Allow);  // empty: as null
    CHECK(ev.active_refreshes() == 1);
    included.push_back(q);
    CHECK(d.decide("DE", 5000, {}, &included) == Verdict::Deny);  // q.d now enforced
    CHECK(ev.active_refreshes() == 2);
    CHECK(d.decide("DE", 100, {}, &included) == Verdict::Deny);
    CHECK(ev.active_refreshes() == 2);
    included.clear();
    CHECK(d.decide("DE", 5000, {}, &included) == Verdict::Allow);  // and not any more
    CHECK(d.decide("DE", 5000) == Verdict::Allow);                 // null and empty are alike
    CHECK(ev.active_refreshes() == 3);
}

TEST_CASE("the let cache is fresh for every request without being cleared (its generation moves on)") {
    Deciding d;
    for (int i = 0; i < 200; ++i) {
        const bool cn = i % 3 == 0;
        CHECK(d.decide(cn ? "CN" : "FR", 5000) == (cn ? Verdict::Deny : Verdict::Allow));  // `restricted` is this request's
    }
    CHECK(d.s->evaluator.let_cache_clears() == 0);
}
