// Dated data: a set member that belongs on some days only (`KH: {until: 2025-11-07}`),
// decided as of the decision's day by every engine (issue 19 part 2). Every decision here
// goes through support.hpp's `decide`, which also asks the reference evaluator.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include "cordon/engine/native.hpp"
#include "cordon/engine/timeline.hpp"
#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

// D:5 as a regulator would date it: Cambodia in until the day it left, a made-up member
// (XX) in for one year only, and a made-up member (YY) that joins and stays.
const char* kDatedGroups = R"(D5:
  - CN
  - KH: {until: 2025-11-07}
  - XX: {since: 2024-01-01, until: 2025-01-01}
  - YY: {since: 2026-03-01}
)";

const char* kRules = R"cordon(policy dated {
  status in_force
  use sets from "data/dated.yaml"
  rule hq_in_d5 {
    deny when customer.hq_country in D5
    because "{customer.name} is headquartered in {customer.hq_country}, in D:5 on the day decided"
    cite "15 CFR 742.6(a)(6)(iii)"
  }
  rule owner_in_d5 {
    report when any o in customer.owners: o.country in D5
    because "an owner sits in D:5"
    cite "15 CFR 744.23"
  }
}
)cordon";

std::string request(const char* hq, const char* owner = "DE") {
  return std::string(R"({"customer": {"name": "Example Co", "country": "SG", "hq_country": ")") + hq +
         R"(", "foreign": true, "identity_verified": true, "owners": [{"name": "o", "country": ")" + owner +
         R"(", "share": 30}]}, "intermediaries": [], "resource": {"chip": "H100-SXM"}, "workload": {"kind": "training"}, "license": {"granted": false}})";
}

Loaded dated_set(const char* groups = kDatedGroups) { return load_rules(kRules, {{"data/dated.yaml", groups}}); }

}  // namespace

TEST_CASE("dated data: a member counts from `since` (inclusive) to `until` (exclusive)") {
    auto l = dated_set();
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    const PolicySet& set = *l.result.set;
    // Cambodia: in D:5 on 2025-11-06, out from 2025-11-07 on.
    CHECK(decide(set, request("KH"), "2025-11-06").verdict == "deny");
    CHECK(decide(set, request("KH"), "2025-11-07").verdict == "allow");
    CHECK(decide(set, request("KH"), "2026-12-06").verdict == "allow");
    CHECK(decide(set, request("KH"), "1990-01-01").verdict == "deny");
    // A one-year member: out the day before, in on its first and last day, out after.
    CHECK(decide(set, request("XX"), "2023-12-31").verdict == "allow");
    CHECK(decide(set, request("XX"), "2024-01-01").verdict == "deny");
    CHECK(decide(set, request("XX"), "2024-12-31").verdict == "deny");
    CHECK(decide(set, request("XX"), "2025-01-01").verdict == "allow");
    // Joins and stays.
    CHECK(decide(set, request("YY"), "2026-02-28").verdict == "allow");
    CHECK(decide(set, request("YY"), "2026-03-01").verdict == "deny");
    // A plain member is in on every day.
    CHECK(decide(set, request("CN"), "1990-01-01").verdict == "deny");
    CHECK(decide(set, request("CN"), "2030-01-01").verdict == "deny");
    // Through a quantifier over a list.
    CHECK(decide(set, request("DE", "KH"), "2025-11-06").verdict == "report");
    CHECK(decide(set, request("DE", "KH"), "2025-11-07").verdict == "allow");
}

TEST_CASE("dated data: the same decisions with every compiler pass off") {
    auto l = dated_set();
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    const CompileOptions off = CompileOptions::all_off();
    auto plain = PolicySet::from_checked(l.result.set->checked(), l.result.sources, off);
    for (const char* day : {"2025-11-06", "2025-11-07"})
        CHECK(decide(*plain, request("KH"), day).verdict == decide(*l.result.set, request("KH"), day).verdict);
}

TEST_CASE("dated data: a literal `\"KH\" in D5` is not folded to a constant") {
    auto l = load_rules(R"(policy dated {
  status in_force
  use sets from "data/dated.yaml"
  rule cambodia_is_d5 {
    report when "KH" in D5 and customer.foreign
    because "Cambodia counts as D:5 on this day"
    cite "REGULATIONS.md sec. 11"
  }
}
)",
                        {{"data/dated.yaml", kDatedGroups}});
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    CHECK(decide(*l.result.set, request("DE"), "2025-11-06").verdict == "report");
    CHECK(decide(*l.result.set, request("DE"), "2025-11-07").verdict == "allow");
}

TEST_CASE("dated data: the timeline shows the day a membership change flips the decision") {
    auto l = dated_set();
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    const PolicySet& set = *l.result.set;
    Session s(set);
    REQUIRE_FALSE(s.decoder.decode_json(request("KH"), s.request));
    const auto intervals = timeline(set, s.request, set.options(s.request, 0));
    REQUIRE(intervals.size() == 2);
    CHECK(intervals[0].verdict == Verdict::Deny);
    REQUIRE(intervals[1].from.has_value());
    CHECK(format_date(*intervals[1].from) == "2025-11-07");
    CHECK(intervals[1].verdict == Verdict::Allow);
}

TEST_CASE("dated data: the digest covers the dates") {
    auto a = dated_set();
    auto b = dated_set(R"(D5:
  - CN
  - KH: {until: 2025-11-08}
  - XX: {since: 2024-01-01, until: 2025-01-01}
  - YY: {since: 2026-03-01}
)");
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a.result.set->digest() != b.result.set->digest());
}

TEST_CASE("dated data: mistakes in dates are errors naming the member") {
    auto error_of = [](const char* groups) {
        auto l = dated_set(groups);
        CHECK_FALSE(l.ok());
        return l.rendered;
    };
    CHECK(error_of("D5: [CN, KH: {since: 2025-11-07, until: 2025-11-07}]\n").find("`until` 2025-11-07 is not after `since` 2025-11-07") != std::string::npos);
    CHECK(error_of("D5: [CN, KH: {until: 2025-13-01}]\n").find("D5[1].KH.until: expected a date YYYY-MM-DD") != std::string::npos);
    CHECK(error_of("D5: [CN, KH: {untill: 2025-11-07}]\n").find("unknown key `untill` in a dated member") != std::string::npos);
    CHECK(error_of("D5: [KH, KH: {until: 2025-11-07}]\n").find("`KH` is listed both plain and dated") != std::string::npos);
    CHECK(error_of("D5: [KH: {until: 2025-11-07}, KH]\n").find("`KH` is listed both plain and dated") != std::string::npos);
    CHECK(error_of("D5: [KH: {until: 2025-11-07}, KH: {since: 2025-01-01}]\n").find("`KH` has dated windows that overlap") != std::string::npos);
    // Disjoint windows of one member (left, then rejoined) are fine.
    auto rejoined = dated_set("D5: [KH: {until: 2020-01-01}, KH: {since: 2022-01-01}]\n");
    REQUIRE_MESSAGE(rejoined.ok(), rejoined.rendered);
    CHECK(decide(*rejoined.result.set, request("KH"), "2019-12-31").verdict == "deny");
    CHECK(decide(*rejoined.result.set, request("KH"), "2021-06-01").verdict == "allow");
    CHECK(decide(*rejoined.result.set, request("KH"), "2022-01-01").verdict == "deny");
}

TEST_CASE("dated data: native code takes the decision's window") {
    auto l = dated_set();
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    const PolicySet& set = *l.result.set;
    const auto so = std::filesystem::temp_directory_path() / ("cordon-dated-" + std::to_string(::getpid()) + ".so");
    std::string error;
    REQUIRE_MESSAGE(NativeCode::build(set.program(), so.string(), CORDON_NATIVE_CXX, error), error);
    auto native = NativeCode::load(so.string(), set.program(), error);
    std::filesystem::remove(so);
    REQUIRE_MESSAGE(native, error);
    for (const char* day : {"2025-11-06", "2025-11-07"})
        for (const char* owner : {"DE", "KH"}) {
            Session s(set);
            s.evaluator.set_native(native.get());
            REQUIRE_FALSE(s.decoder.decode_json(request(owner, owner), s.request));
            s.evaluator.decide(s.request, set.options(s.request, *parse_date(day)), s.decision);
            CHECK(verdict_name(s.decision.verdict) == decide(set, request(owner, owner), day).verdict);
        }
}

// Found by the reference agreement test on policies/us: the key_tables pass worked a
// parametrised let (`d5_or_macau(c)`) out for every string at compile time, with the
// members of no particular day, so a Cambodian customer was denied in 2026.
TEST_CASE("dated data: a costly let over a dated set is not worked out at compile time") {
    auto l = load_rules(R"cordon(policy dated {
  status in_force
  use sets from "data/dated.yaml"
  use table ear_alias from "data/alias.yaml"
  let ear(c) = if c in ear_alias then ear_alias[c].treated_as else c
  let tied(c) = ear(c) in D5 or ear(c) in MACAU
  let customer_tied = tied(customer.hq_country)
  rule tied_customer {
    deny when customer_tied and not customer.identity_verified
    because "{customer.hq_country} is tied to D:5 or Macau on the day decided"
    cite "REGULATIONS.md sec. 11"
  }
}
)cordon",
                        {{"data/dated.yaml", std::string(kDatedGroups) + "MACAU: [MO]\n"},
                         {"data/alias.yaml", "HK: {treated_as: CN}\n"}});
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    std::string unverified = request("KH");
    unverified.replace(unverified.find("\"identity_verified\": true"), 25, "\"identity_verified\": false");
    CHECK(decide(*l.result.set, unverified, "2025-11-06").verdict == "deny");
    CHECK(decide(*l.result.set, unverified, "2026-11-20").verdict == "allow");
}
