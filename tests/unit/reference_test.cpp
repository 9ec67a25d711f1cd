// The reference evaluator on its own: the language's meaning as truth tables, decided by
// the plain tree walk (ReferenceEvaluator) and, through support.hpp's `decide`, compared
// with the compiled program on every request. Each case is written as a regulator would
// write the rule.
#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

/// The reference's verdict and fired rules for one request.
struct RefOutcome {
    std::string verdict;
    Ids fired;
    Ids errors;
    std::vector<std::string> messages;
};

RefOutcome by_reference(const PolicySet& set, const std::string& json, const char* as_of = "2024-11-18",
                        std::vector<Status> include = {}) {
    Session s(set);
    RefOutcome o;
    REQUIRE_FALSE(s.decoder.decode_json(json, s.request));
    Decision d;
    s.reference.decide(s.request, set.options(s.request, *parse_date(as_of), include), d);
    o.verdict = verdict_name(d.verdict);
    for (auto i : d.fired) {
        o.fired.push_back(set.checked().rules[i].id);
        o.messages.push_back(s.reference.message(s.request, i, d.as_of));
    }
    for (const auto& e : d.errors) o.errors.push_back(set.checked().rules[e.rule].id);
    return o;
}

std::string request(const std::string& customer, const std::string& resource, const std::string& extra = "") {
    return R"({"customer": {"name": "C", "foreign": true, "identity_verified": false)" + customer +
           R"(}, "resource": {"chip": "H100-SXM")" + resource + "}" + extra + "}";
}

const char* kHeader = "policy t {\n  status in_force\n  use sets from \"data/groups.yaml\"\n  use table chips from \"data/chips.yaml\"\n";

}  // namespace

TEST_CASE("reference: a constant on either side of every comparison means the same") {
    // The issue that started the reference: `4800 <= resource.tpp` must deny a 3A090 chip.
    auto l = load_rules(std::string(kHeader) + R"(
  rule le_left  { deny when 4800 <= resource.tpp because "le" }
  rule lt_left  { deny when 4800 <  resource.tpp because "lt" }
  rule ge_left  { deny when 4800 >= resource.tpp because "ge" }
  rule gt_left  { deny when 4800 >  resource.tpp because "gt" }
  rule eq_left  { deny when 4800 == resource.tpp because "eq" }
  rule ne_left  { deny when 4800 != resource.tpp because "ne" }
  rule le_right { deny when resource.tpp <= 4800 because "le" }
  rule ge_right { deny when resource.tpp >= 4800 because "ge" }
}
)");
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    const auto c = R"(, "country": "CN", "hq_country": "CN")";
    CHECK(by_reference(set, request(c, R"(, "tpp": 15832)")).fired == Ids{"t.ge_right", "t.le_left", "t.lt_left", "t.ne_left"});
    CHECK(by_reference(set, request(c, R"(, "tpp": 4800)")).fired ==
          Ids{"t.eq_left", "t.ge_left", "t.ge_right", "t.le_left", "t.le_right"});
    CHECK(by_reference(set, request(c, R"(, "tpp": 100)")).fired == Ids{"t.ge_left", "t.gt_left", "t.le_right", "t.ne_left"});
    // The compiled program agrees on each (support.hpp's decide compares the whole output).
    for (const char* tpp : {"15832", "4800", "4799.5", "100"}) decide(set, request(c, std::string(R"(, "tpp": )") + tpp));
}

TEST_CASE("reference: Kleene logic absorbs an error only where the other side decides") {
    auto l = load_rules(std::string(kHeader) + R"(
  rule and_false { deny when resource.count > 10 and customer.country == "DE" because "a" }
  rule and_true  { deny when resource.count > 10 and customer.country == "CN" because "b" }
  rule or_true   { report when resource.count > 10 or customer.country == "CN" because "c" }
  rule or_false  { report when customer.country == "DE" or resource.count > 10 because "d" }
  rule not_error { report when not (resource.count > 10) because "e" }
}
)");
    REQUIRE(l.ok());
    // resource.count is absent: reading it is an error.
    const auto o = by_reference(*l.result.set, request(R"(, "country": "CN", "hq_country": "CN")", ""));
    CHECK(o.fired == Ids{"t.or_true"});
    CHECK(o.errors == Ids{"t.and_true", "t.not_error", "t.or_false"});
    CHECK(o.verdict == "deny");  // on_error: deny
    decide(*l.result.set, request(R"(, "country": "CN", "hq_country": "CN")", ""));
}

TEST_CASE("reference: unless, statuses, effective and sunset dates") {
    auto l = load_rules(R"(
policy now {
  status in_force
  effective 2024-01-01
  sunset 2025-01-01
  rule d { deny when customer.country == "CN" unless license.granted because "d" }
}
policy later {
  status proposed
  rule r { report when customer.foreign because "r" }
}
)");
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    const auto cn = request(R"(, "country": "CN", "hq_country": "CN")", "", R"(, "license": {"granted": false})");
    const auto licensed = request(R"(, "country": "CN", "hq_country": "CN")", "", R"(, "license": {"granted": true})");
    CHECK(by_reference(set, cn, "2023-12-31").verdict == "allow");  // before `effective`
    CHECK(by_reference(set, cn, "2024-01-01").verdict == "deny");   // on it
    CHECK(by_reference(set, cn, "2024-12-31").verdict == "deny");
    CHECK(by_reference(set, cn, "2025-01-01").verdict == "allow");  // sunset: no longer active
    CHECK(by_reference(set, licensed, "2024-06-01").verdict == "allow");
    CHECK(by_reference(set, cn, "2023-06-01", {Status::Proposed}).fired == Ids{"later.r"});
    for (const char* day : {"2023-12-31", "2024-01-01", "2024-12-31", "2025-01-01"}) {
        decide(set, cn, day);
        decide(set, cn, day, {Status::Proposed});
    }
}

TEST_CASE("reference: quantifiers, aggregates, lookups, lets and message holes") {
    auto l = load_rules(std::string(kHeader) + R"(
  let tpp = chips[resource.chip].tpp
  let big(x) = x >= 4800
  rule owned { deny when sum(o in customer.owners where o.country in D5: o.share) >= 0.5
               because "D:5 owners hold {sum(o in customer.owners where o.country in D5: o.share)}" }
  rule any_d5 { report when any o in customer.owners: o.country in D5 because "an owner in D:5" }
  rule all_d5 { report when all o in customer.owners: o.country in D5 because "every owner in D:5" }
  rule counted { report when count(o in customer.owners: o.share > 0.1) == 2 because "two large owners" }
  rule advanced { report when resource.chip in chips and big(tpp) because "tpp {tpp} of {resource.chip}" }
  rule unknown_chip { report when chips[resource.chip].tpp > 0 because "listed" }
}
)");
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    const auto owners = R"(, "country": "SG", "hq_country": "SG", "owners": [
        {"name": "a", "country": "CN", "share": 0.25}, {"name": "b", "country": "RU", "share": 0.25},
        {"name": "c", "country": "US", "share": 0.05}])";
    const auto o = by_reference(set, request(owners, ""));
    CHECK(o.fired == Ids{"t.advanced", "t.any_d5", "t.counted", "t.owned", "t.unknown_chip"});
    CHECK(o.messages == std::vector<std::string>{"tpp 15832 of H100-SXM", "an owner in D:5", "two large owners",
                                                 "D:5 owners hold 0.5", "listed"});
    decide(set, request(owners, ""));
    // An unknown chip: the guarded rule is false, the unguarded lookup fails closed.
    const auto other = request(R"(, "country": "SG", "hq_country": "SG")", "");
    std::string unknown = other;
    unknown.replace(unknown.find("H100-SXM"), 8, "Z9");
    const auto u = by_reference(set, unknown);
    CHECK(u.errors == Ids{"t.unknown_chip"});
    CHECK(u.fired == Ids{"t.all_d5"});  // `all` over no owners holds
    CHECK(u.verdict == "deny");
    decide(set, unknown);
}
