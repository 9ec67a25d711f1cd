// Dated data: a set member that belongs on some days only (`KH: {until: 2025-11-07}`),
// and a table row that holds on some days only (`XA: [{until: 2025-04-15, ...}, ...]`),
// decided as of the decision's day by every engine (issue 19 part 2). Every decision here
// goes through support.hpp's `decide`, which also asks the reference evaluator.
#include <doctest/doctest.h>

#include "cordon/engine/native.hpp"
#include "program/program.hpp"
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

// `set`'s program as native code (built with the compiler the tests were configured with,
// in a scratch directory removed at once: the object, loaded, no longer needs its file).
std::unique_ptr<NativeCode> native_code(const PolicySet& set) {
    NativeDir dir;
    std::string error;
    if (!NativeCode::build(set.program(), dir.so("dated"), CORDON_NATIVE_CXX, error)) {
        FAIL_CHECK(error);
        return nullptr;
    }
    auto native = NativeCode::load(dir.so("dated"), set.program(), error);
    if (!native) FAIL_CHECK(error);
    return native;
}

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
    auto native = native_code(set);
    REQUIRE(native);
    for (const char* day : {"2025-11-06", "2025-11-07"})
        for (const char* owner : {"DE", "KH"}) {
            Session s(set);
            s.evaluator.set_native(native.get());
            REQUIRE_FALSE(s.decoder.decode_json(request(owner, owner), s.request));
            s.evaluator.decide(s.request, set.options(s.request, *parse_date(day)), s.decision);
            CHECK(verdict_name(s.decision.verdict) == decide(set, request(owner, owner), day).verdict);
        }
}

namespace {

// How many lets of `set` have a key table (pass key_tables) with one set of values per
// window of days (Program::set_windows, more than one: the set has dated data).
std::size_t windowed_key_tables(const PolicySet& set) {
    const Program& p = set.program();
    std::size_t n = 0;
    for (const auto& t : p.key_tables) n += p.set_windows() > 1 && t.windows.size() == p.set_windows();
    return n;
}

// `request` decided on `day` by native code for `set`: the verdict's name.
std::string native_verdict(const PolicySet& set, const NativeCode& native, const std::string& request, const char* day) {
    Session s(set);
    s.evaluator.set_native(&native);
    REQUIRE_FALSE(s.decoder.decode_json(request, s.request));
    s.evaluator.decide(s.request, set.options(s.request, *parse_date(day)), s.decision);
    return verdict_name(s.decision.verdict);
}

}  // namespace

// Found by the reference agreement test on policies/us: the key_tables pass worked a
// parametrised let (`d5_or_macau(c)`) out for every string at compile time, with the
// members of no particular day, so a Cambodian customer was denied in 2026. Now the let
// gets one table per window of days, each worked out on a day of its window.
TEST_CASE("dated data: a costly let over a dated set is worked out per window of days") {
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
    CHECK(windowed_key_tables(*l.result.set) >= 1);
    auto native = native_code(*l.result.set);
    REQUIRE(native);
    CHECK(native_verdict(*l.result.set, *native, unverified, "2025-11-06") == "deny");
    CHECK(native_verdict(*l.result.set, *native, unverified, "2026-11-20") == "allow");
}

// Found by mutation (session 14, key_tables.cpp: a test of an attribute against a dated set,
// fused into one node, no longer marked the let as dated): the let is then worked out on
// the first window's day only, and Cambodia stays in D:5 after it left.
TEST_CASE("dated data: a costly let testing an attribute against a dated set directly is worked out per window") {
    auto l = load_rules(R"cordon(policy dated_direct {
  status in_force
  use sets from "data/dated.yaml"
  let tied = customer.hq_country in D5 and customer.hq_country != "US" and customer.hq_country != "GB" and customer.hq_country != "JP" and customer.hq_country != "FR"
  let macau = customer.country in MACAU and customer.country != "US" and customer.country != "GB" and customer.country != "JP" and customer.country != "FR"
  rule tied_customer {
    deny when tied and not customer.identity_verified
    because "{customer.hq_country} is in D:5 on the day decided"
    cite "REGULATIONS.md sec. 11"
  }
  rule in_macau { report when macau because "in Macau" cite "REGULATIONS.md sec. 11" }
}
)cordon",
                        {{"data/dated.yaml", std::string(kDatedGroups) + "MACAU: [MO]\n"}});
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    // `tied` has a table per window; `macau`, testing a set with no dates, one table for
    // every day (found by mutation, session 18: every set test taken as dated passed).
    CHECK(l.result.set->program().key_tables.size() == 2);
    CHECK(windowed_key_tables(*l.result.set) == 1);
    std::string unverified = request("KH");
    unverified.replace(unverified.find("\"identity_verified\": true"), 25, "\"identity_verified\": false");
    CHECK(decide(*l.result.set, unverified, "2025-11-06").verdict == "deny");
    CHECK(decide(*l.result.set, unverified, "2025-11-07").verdict == "allow");
    auto native = native_code(*l.result.set);
    REQUIRE(native);
    CHECK(native_verdict(*l.result.set, *native, unverified, "2025-11-06") == "deny");
    CHECK(native_verdict(*l.result.set, *native, unverified, "2025-11-07") == "allow");
}

TEST_CASE("dated data: errors name the file and line; a dated member passes the same data-use checks") {
    // The overlapping window is on the fourth line of the file: the error says so.
    auto overlap = dated_set("D5:\n  - CN\n  - KH: {until: 2025-11-07}\n  - KH: {since: 2025-01-01}\n");
    CHECK_FALSE(overlap.ok());
    CHECK_MESSAGE(overlap.rendered.find("data/dated.yaml:4") != std::string::npos, overlap.rendered);
    // A dated member of a set tested against a country must be a country code, as a plain one.
    auto bad = dated_set("D5: [CN, Cambodia: {until: 2025-11-07}]\n");
    CHECK_FALSE(bad.ok());
    CHECK_MESSAGE(bad.rendered.find("dated.yaml:1:10: error[E0208]: \"Cambodia\" (member of set `D5`, tested against `customer.hq_country`) is not an ISO 3166-1 alpha-2 country code") != std::string::npos, bad.rendered);
    // The first day out of one window and the day before the next one are both out.
    auto rejoined = dated_set("D5: [KH: {until: 2020-01-01}, KH: {since: 2022-01-01}]\n");
    REQUIRE_MESSAGE(rejoined.ok(), rejoined.rendered);
    CHECK(decide(*rejoined.result.set, request("KH"), "2020-01-01").verdict == "allow");
    CHECK(decide(*rejoined.result.set, request("KH"), "2021-12-31").verdict == "allow");
}

// ---------------------------------------------------------------- dated table rows

namespace {

// A chip table whose rows change on a day. The chips are made up (XA..XD): the test is of
// the format, not of any real chip. XA's figures and class change on 2025-04-15 (two rows
// that meet), XB is listed from 2026-01-15 on, XC until 2024-01-01 only, XD for 2024 only,
// and H100-SXM is a plain row that holds on every day.
const char* kDatedChips = R"(H100-SXM: {tpp: 15832, class: "3A090.a"}
XA:
  - {until: 2025-04-15, tpp: 2368, class: "3A090.z"}
  - {since: 2025-04-15, tpp: 5000, class: "3A090.a"}
XB:
  - {since: 2026-01-15, tpp: 6000, class: "3A090.a"}
XC: [{until: 2024-01-01, tpp: 9000, class: "3A090.a"}]
XD: [{since: 2024-01-01, until: 2025-01-01, tpp: 100, class: "3A090.a"}]
)";

// A controlled chip (by its class on the day) for a D:5 customer is denied; a big one by
// its figure on the day is reported; a chip the table does not list that day is an error
// when looked up (on_error: deny), and reported as unlisted when tested with `in`.
const char* kRowRules = R"cordon(policy dated_rows {
  status in_force
  use table chips from "data/dated_chips.yaml"
  rule controlled_for_cn {
    deny when customer.hq_country == "CN" and chips[resource.chip].class == "3A090.a"
    because "{resource.chip} is {chips[resource.chip].class} on the day decided"
    cite "15 CFR 744.23"
  }
  rule big {
    report when customer.hq_country != "CN" and resource.chip in chips and chips[resource.chip].tpp >= 4800
    because "{resource.chip} has TPP {chips[resource.chip].tpp} on the day decided"
    cite "15 CFR 742.6"
  }
  rule unlisted {
    report when customer.hq_country == "DE" and not (resource.chip in chips)
    because "{resource.chip} is not in the chip table on the day decided"
    cite "15 CFR 742.6"
  }
}
)cordon";

std::string chip_request(const char* chip, const char* hq) {
  std::string r = request(hq);
  r.replace(r.find("H100-SXM"), 8, chip);
  return r;
}

Loaded dated_rows(const char* chips = kDatedChips, const char* rules = kRowRules) {
  return load_rules(rules, {{"data/dated_chips.yaml", chips}});
}

// What each of the three rules makes of each chip on days either side of each date.
struct RowCase {
  const char* chip;
  const char* hq;
  const char* day;
  const char* verdict;
};
const RowCase kRowCases[] = {
    // XA: class 3A090.z and TPP 2368 before 2025-04-15, 3A090.a and 5000 from that day.
    {"XA", "CN", "2025-04-14", "allow"}, {"XA", "CN", "2025-04-15", "deny"},
    {"XA", "SG", "2025-04-14", "allow"}, {"XA", "SG", "2025-04-15", "report"},
    {"XA", "DE", "2025-04-14", "allow"}, {"XA", "DE", "2030-01-01", "report"},
    // XB: not listed before 2026-01-15 (a lookup is then an error: deny), listed from it.
    {"XB", "CN", "2026-01-14", "deny"},  {"XB", "CN", "2026-01-15", "deny"},
    {"XB", "SG", "2026-01-14", "allow"}, {"XB", "SG", "2026-01-15", "report"},
    {"XB", "DE", "2026-01-14", "report"}, {"XB", "DE", "2026-01-15", "report"},
    // XC: listed until 2024-01-01 (exclusive).
    {"XC", "SG", "2023-12-31", "report"}, {"XC", "SG", "2024-01-01", "allow"},
    {"XC", "DE", "2023-12-31", "report"}, {"XC", "DE", "2024-01-01", "report"},
    // XD: listed in 2024 only.
    {"XD", "DE", "2023-12-31", "report"}, {"XD", "DE", "2024-01-01", "allow"},
    {"XD", "DE", "2024-12-31", "allow"},  {"XD", "DE", "2025-01-01", "report"},
    // A plain row holds on every day.
    {"H100-SXM", "CN", "1990-01-01", "deny"}, {"H100-SXM", "SG", "2030-01-01", "report"},
};

}  // namespace

TEST_CASE("dated rows: a key's row is the one of the decision's day, on each side of each date") {
    auto l = dated_rows();
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    for (const auto& c : kRowCases) {
        const auto o = decide(*l.result.set, chip_request(c.chip, c.hq), c.day);
        CHECK_MESSAGE(o.verdict == c.verdict, c.chip << " for " << c.hq << " on " << c.day << ": " << o.json);
    }
    // The message reads the cell of the day, too.
    const auto after = decide(*l.result.set, chip_request("XA", "SG"), "2025-04-15");
    REQUIRE(after.messages.size() == 1);
    CHECK(after.messages[0] == "XA has TPP 5000 on the day decided");
    // Before XB is listed, looking it up is a missing-key error, not a silent allow.
    const auto unlisted = decide(*l.result.set, chip_request("XB", "CN"), "2026-01-14");
    CHECK(unlisted.errors == Ids{"dated_rows.controlled_for_cn"});
}

TEST_CASE("dated rows: the same decisions with each compiler pass off, and with all off") {
    auto l = dated_rows();
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    std::vector<std::pair<std::string, CompileOptions>> configs{{"all off", CompileOptions::all_off()}};
    for (const auto& [name, member] : CompileOptions::names()) {
        CompileOptions o;
        o.*member = false;
        configs.emplace_back(std::string(name) + " off", o);
    }
    for (const auto& config : configs) {  // (no structured binding: clang 14 cannot capture one)
        const std::string& name = config.first;
        auto set = PolicySet::from_checked(l.result.set->checked(), l.result.sources, config.second);
        for (const auto& c : kRowCases)
            CHECK_MESSAGE(decide(*set, chip_request(c.chip, c.hq), c.day).verdict == c.verdict,
                          name << ": " << c.chip << " for " << c.hq << " on " << c.day);
    }
}

TEST_CASE("dated rows: a literal key is not folded, and a costly let over the table is worked out per window") {
    // `chips["XA"].tpp` with a constant key would fold to one row's figure; a let keyed by
    // the chip alone is tabulated for every string once per window of days (key_tables).
    auto l = dated_rows(kDatedChips, R"cordon(policy dated_rows {
  status in_force
  use table chips from "data/dated_chips.yaml"
  let strong(c) = c in chips and chips[c].tpp >= 4800 and chips[c].class == "3A090.a" and chips[c].tpp * 2 > 9000
  let strong_chip = strong(resource.chip)
  rule xa_grew {
    report when chips["XA"].tpp >= 4800 and "XA" in chips and customer.hq_country == "FR"
    because "XA counts as large on the day decided"
    cite "15 CFR 742.6"
  }
  rule strong_for_cn {
    deny when strong_chip and customer.hq_country == "CN"
    because "{resource.chip} is strong on the day decided"
    cite "15 CFR 744.23"
  }
}
)cordon");
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    CHECK(decide(*l.result.set, chip_request("H100-SXM", "FR"), "2025-04-14").verdict == "allow");
    CHECK(decide(*l.result.set, chip_request("H100-SXM", "FR"), "2025-04-15").verdict == "report");
    CHECK(decide(*l.result.set, chip_request("XA", "CN"), "2025-04-14").verdict == "allow");
    CHECK(decide(*l.result.set, chip_request("XA", "CN"), "2025-04-15").verdict == "deny");
    CHECK(decide(*l.result.set, chip_request("XB", "CN"), "2026-01-14").verdict == "allow");
    CHECK(decide(*l.result.set, chip_request("XB", "CN"), "2026-01-15").verdict == "deny");
    CHECK(windowed_key_tables(*l.result.set) >= 1);
    auto native = native_code(*l.result.set);
    REQUIRE(native);
    CHECK(native_verdict(*l.result.set, *native, chip_request("XA", "CN"), "2025-04-14") == "allow");
    CHECK(native_verdict(*l.result.set, *native, chip_request("XA", "CN"), "2025-04-15") == "deny");
    CHECK(native_verdict(*l.result.set, *native, chip_request("XB", "CN"), "2026-01-14") == "allow");
    CHECK(native_verdict(*l.result.set, *native, chip_request("XB", "CN"), "2026-01-15") == "deny");
}

TEST_CASE("dated rows: native code reads the row of the decision's window") {
    auto l = dated_rows();
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    const PolicySet& set = *l.result.set;
    auto native = native_code(set);
    REQUIRE(native);
    for (const auto& c : kRowCases) {
        Session s(set);
        s.evaluator.set_native(native.get());
        REQUIRE_FALSE(s.decoder.decode_json(chip_request(c.chip, c.hq), s.request));
        s.evaluator.decide(s.request, set.options(s.request, *parse_date(c.day)), s.decision);
        CHECK_MESSAGE(verdict_name(s.decision.verdict) == std::string(c.verdict), c.chip << " for " << c.hq << " on " << c.day);
    }
}

TEST_CASE("dated rows: the timeline shows the day a row change flips the decision; the digest covers the dates") {
    auto l = dated_rows();
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    const PolicySet& set = *l.result.set;
    Session s(set);
    REQUIRE_FALSE(s.decoder.decode_json(chip_request("XA", "CN"), s.request));
    const auto intervals = timeline(set, s.request, set.options(s.request, 0));
    REQUIRE(intervals.size() == 2);
    CHECK(intervals[0].verdict == Verdict::Allow);
    REQUIRE(intervals[1].from.has_value());
    CHECK(format_date(*intervals[1].from) == "2025-04-15");
    CHECK(intervals[1].verdict == Verdict::Deny);
    std::string moved = kDatedChips;
    moved.replace(moved.find("2025-04-15"), 10, "2025-04-16");
    moved.replace(moved.find("2025-04-15"), 10, "2025-04-16");
    auto other = dated_rows(moved.c_str());
    REQUIRE_MESSAGE(other.ok(), other.rendered);
    CHECK(other.result.set->digest() != set.digest());
}

TEST_CASE("dated rows: mistakes in dates are load errors naming the file, line and key") {
    auto error_of = [](const std::string& chips) {
        auto l = dated_rows(chips.c_str());
        CHECK_FALSE(l.ok());
        return l.rendered;
    };
    const std::string plain = "H100-SXM: {tpp: 15832, class: \"3A090.a\"}\n";
    // Overlapping rows of one key: the error is at the second row, on the file's fourth line.
    auto overlap = error_of(plain + "XA:\n  - {until: 2025-04-15, tpp: 1}\n  - {since: 2025-04-01, tpp: 2}\n");
    CHECK_MESSAGE(overlap.find("dated_chips.yaml:4") != std::string::npos, overlap);
    CHECK_MESSAGE(overlap.find("`XA` has dated rows that overlap") != std::string::npos, overlap);
    // Two undated rows of one key overlap too (both hold on every day).
    CHECK(error_of(plain + "XA: [{tpp: 1}, {tpp: 2}]\n").find("`XA` has dated rows that overlap") != std::string::npos);
    // Reversed or empty windows.
    auto reversed = error_of(plain + "XA: [{since: 2025-04-15, until: 2025-04-01, tpp: 1}]\n");
    CHECK_MESSAGE(reversed.find("dated_chips.yaml:2") != std::string::npos, reversed);
    CHECK_MESSAGE(reversed.find("`until` 2025-04-01 is not after `since` 2025-04-15") != std::string::npos, reversed);
    CHECK(error_of(plain + "XA: [{since: 2025-04-15, until: 2025-04-15, tpp: 1}]\n").find("is not after") != std::string::npos);
    // A date that is not one, and an empty list.
    CHECK(error_of(plain + "XA: [{until: 2025-02-30, tpp: 1}]\n").find("XA[0].until: expected a date YYYY-MM-DD") != std::string::npos);
    CHECK(error_of(plain + "XA: []\n").find("a key with dated rows needs at least one row") != std::string::npos);
    CHECK(error_of(plain + "XA: [1]\n").find("expected a dated row") != std::string::npos);
    // A dated row's cells are checked as a plain row's: the types agree across rows.
    CHECK(error_of(plain + "XA: [{since: 2025-01-01, tpp: \"many\"}]\n").find("XA[0].tpp: number in other rows, string here") != std::string::npos);
    // In a plain row, `since` is an ordinary column (ear_destinations.yaml has one).
    auto column = dated_rows((plain + "XA: {tpp: 1, since: \"2020-12-23\"}\n").c_str());
    REQUIRE_MESSAGE(column.ok(), column.rendered);
    CHECK(decide(*column.result.set, chip_request("XA", "DE"), "2010-01-01").verdict == "allow");
}

TEST_CASE("dated rows: a dated row's key passes the same data-use checks as a plain one") {
    auto aliased = [](const char* alias) {
        return load_rules(R"cordon(policy dated_rows {
  status in_force
  use table alias from "data/alias.yaml"
  rule aliased_cn {
    deny when customer.hq_country in alias and alias[customer.hq_country].treated_as == "CN"
    because "{customer.hq_country} is treated as China on the day decided"
    cite "85 FR 83765"
  }
}
)cordon",
                          {{"data/alias.yaml", alias}});
    };
    auto bad = aliased("Hongkong: [{since: 2020-12-23, treated_as: CN}]\n");
    CHECK_FALSE(bad.ok());
    CHECK_MESSAGE(bad.rendered.find("\"Hongkong\" (key of table `alias`, looked up by `customer.hq_country`) is not an ISO 3166-1 alpha-2 country code") != std::string::npos, bad.rendered);
    auto good = aliased("HK: [{since: 2020-12-23, treated_as: CN}]\n");
    REQUIRE_MESSAGE(good.ok(), good.rendered);
    CHECK(decide(*good.result.set, request("HK"), "2020-12-22").verdict == "allow");
    CHECK(decide(*good.result.set, request("HK"), "2020-12-23").verdict == "deny");
}
