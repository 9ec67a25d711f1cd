// The fast paths never change a decision. `decide` runs rule plans (conjuncts reordered,
// unions of sets, shared expressions cached: engine/src/passes/plan.cpp) over the rules the index
// selects; the reference runs every rule's `when`/`unless` tree, as written. The verdict,
// the fired rules and the errors (rule, kind, detail) must be the same, over many varied requests.
#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "agreement.hpp"
#include "support.hpp"
#include "synthetic.hpp"
#include "program/program.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

// The index of rule `id` ("policy.rule") in the set, or -1.
std::int32_t rule_index(const PolicySet& set, const std::string& id) {
    const auto& rules = set.checked().rules;
    for (std::size_t i = 0; i < rules.size(); ++i)
        if (rules[i].id == id) return static_cast<std::int32_t>(i);
    return -1;
}

// The compiled rule `id` (fails the test when there is none).
ProgramRule rule_named(const PolicySet& set, const std::string& id) {
    const auto i = rule_index(set, id);
    REQUIRE_MESSAGE(i >= 0, "no rule " << id);
    return set.program().rules[static_cast<std::size_t>(i)];
}

}  // namespace

TEST_CASE("indexed and exhaustive evaluation agree on the shipped US policy set") {
    auto loaded = PolicySet::load(CORDON_SOURCE_DIR "/policies/us");
    REQUIRE(loaded.set);
    const auto& set = *loaded.set;
    CHECK(!set.program().indexes.empty());
    // The chip classification lets have tables by chip (used when no figures are given;
    // 36% of these requests give none, and some name a chip the table lacks).
    CHECK(!set.program().key_tables.empty());
    Session s(set);
    Reference all(set.program());
    Decision d2;
    std::mt19937 rng(7);
    int compared = 0;
    const std::vector<Status> everything = {Status::Proposed, Status::Bill, Status::Rescinded, Status::Draft};
    for (int i = 0; i < 5000; ++i) {
        const auto text = random_request(rng);
        for (int as_of : {19000, 20000, 20500}) {
            decide_both(set, s, all, text, as_of, i % 2 ? everything : std::vector<Status>{}, d2);
            ++compared;
        }
    }
    CHECK(compared == 15000);
}

TEST_CASE("indexed and exhaustive evaluation agree with pins on several attributes, guards and absent values") {
    auto l = load_rules(R"(
policy idx {
  status in_force
  use sets from "data/groups.yaml"
  rule either { deny when (customer.hq_country == "CN" or customer.country == "RU") and resource.tpp >= 100 because "a" cite "c" }
  rule guarded { report when has customer.parent_hq_country and (customer.parent_hq_country in D5 or customer.country == "IR") because "b" cite "c" }
  rule chip { deny when resource.chip == "A30" and customer.country in {"CN", "VN"} because "c" cite "c" }
  rule unguarded { report when customer.parent_hq_country == "MO" because "d" cite "c" }
  rule plain { report when resource.tpp > 30000 because "e" cite "c" }
}
)");
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    CHECK(set.program().unindexed.size() == 1);
    Session s(set);
    Reference all(set.program());
    Decision d2;
    std::mt19937 rng(11);
    static const char* countries[] = {"CN", "RU", "IR", "MO", "VN", "DE", "US"};
    auto pick = [&] { return countries[rng() % 7]; };
    for (int i = 0; i < 5000; ++i) {
        std::string r = std::string(R"({"customer": {"name": "C", "country": ")") + pick() + R"(", "hq_country": ")" + pick() + "\"";
        if (rng() % 2) r += std::string(R"(, "parent_hq_country": ")") + pick() + "\"";
        r += R"(, "foreign": true, "identity_verified": true}, "resource": {"chip": ")";
        r += (rng() % 2) ? "A30" : "H100-SXM";
        r += "\"";
        if (rng() % 3) r += ", \"tpp\": " + std::to_string(rng() % 40000);
        r += "}}";
        decide_both(set, s, all, r, 20000, {}, d2);
    }
}

TEST_CASE("`hq in D5 or (has parent and parent in D5)` is a pin of two alternatives; an absent parent is false, an absent hq fails") {
    auto l = load_rules(R"(
policy idx {
  status in_force
  use sets from "data/groups.yaml"
  let d5_or_macau(c) = c in D5 or c in MACAU
  let hq_or_parent_in_d5 = d5_or_macau(customer.hq_country)
     or (has customer.parent_hq_country and d5_or_macau(customer.parent_hq_country))
  rule hq_or_parent { deny when hq_or_parent_in_d5 and resource.tpp >= 4800 because "a" cite "c" }
  rule parent_only { report when (has customer.parent_hq_country and customer.parent_hq_country == "MO") or customer.country == "IR" because "b" cite "c" }
  rule mixed { report when customer.country == "RU" or (has customer.country and customer.country == "CN") because "d" cite "c" }
}
)");
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    const auto& p = set.program();
    // Filed under their pins, not visited for every request.
    CHECK(p.unindexed.empty());
    CHECK(p.when_present.empty());
    // `mixed`: one side unguarded, so an absent country still fails it: listed as absent.
    const auto mixed = rule_index(set, "idx.mixed");
    REQUIRE(mixed >= 0);
    bool listed_absent = false;
    for (const auto& ix : p.indexes)
        for (const auto& c : ix.columns)
            for (const auto& w : c.absent) listed_absent = listed_absent || (w.word == static_cast<std::uint32_t>(mixed) / 64 && ((w.bits >> (mixed % 64)) & 1));
    CHECK(listed_absent);
    Session s(set);
    Reference all(p);
    Decision d2;
    std::mt19937 rng(17);
    static const char* countries[] = {"CN", "MO", "IR", "RU", "DE", "US"};
    auto pick = [&] { return countries[rng() % 6]; };
    std::size_t fired = 0, failed = 0;
    for (int i = 0; i < 6000; ++i) {
        // Any of country, hq and parent may be absent (hq absent: `hq in D5` fails).
        std::string c = R"("name": "C")";
        if (rng() % 5) c += std::string(R"(, "country": ")") + pick() + "\"";
        if (rng() % 5) c += std::string(R"(, "hq_country": ")") + pick() + "\"";
        if (rng() % 2) c += std::string(R"(, "parent_hq_country": ")") + pick() + "\"";
        const std::string r = R"({"customer": {)" + c + R"(, "foreign": true}, "resource": {"tpp": )" +
                              std::to_string(rng() % 9600) + "}}";
        decide_both(set, s, all, r, 20000, {}, d2);
        fired += d2.fired.size();
        failed += d2.errors.size();
    }
    CHECK(fired > 1000);
    CHECK(failed > 100);  // absent values do reach the rules that must fail
}

TEST_CASE("keys of three columns, bools and non-empty lists decide as the trees do, absent values included") {
    auto l = load_rules(R"(
policy idx {
  status in_force
  use sets from "data/groups.yaml"
  rule unverified { deny when customer.country in D5 and resource.chip == "A30" and not customer.identity_verified because "a" cite "c" }
  rule bio { report when customer.hq_country == "CN" and workload.bio_sequence because "b" cite "c" }
  rule bio_guarded { report when has workload.bio_sequence and workload.bio_sequence and customer.country == "RU" because "c" cite "c" }
  rule through { deny when customer.country == "VN" and any p in intermediaries: p.country in D5 because "d" cite "c" }
  rule broker { deny when customer.country == "VN" and any p in intermediaries: p.role == "broker" because "f" cite "c" }
  rule owned { report when customer.hq_country == "RU" and sum(o in customer.owners where o.country in D5: o.share) >= 0.25 because "g" cite "c" }
  rule either { deny when (customer.hq_country == "IR" or customer.country == "IR") and resource.chip == "A30" and not customer.foreign because "e" cite "c" }
}
)");
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    using Kind = Program::RuleIndex::Column::Kind;
    const auto& ix = set.program().indexes;
    auto has_key = [&](std::size_t columns, Kind kind) {
        return std::any_of(ix.begin(), ix.end(), [&](const auto& k) {
            return k.columns.size() == columns &&
                   std::any_of(k.columns.begin(), k.columns.end(), [&](const auto& c) { return c.kind == kind; });
        });
    };
    CHECK(has_key(3, Kind::Bool));      // country x chip x verified
    CHECK(has_key(2, Kind::NonEmpty));   // country x intermediaries given
    CHECK(has_key(2, Kind::SomeInSet));  // country x some intermediary in D5; hq x some owner in D5
    CHECK(set.program().unindexed.empty());
    Session s(set);
    Reference all(set.program());
    Decision d2;
    std::mt19937 rng(13);
    static const char* countries[] = {"CN", "RU", "IR", "VN", "DE", "US"};
    auto pick = [&] { return countries[rng() % 6]; };
    auto some_bool = [&](const char* name) -> std::string {
        switch (rng() % 3) {
            case 0: return "";  // absent (a required one fails its rules closed)
            case 1: return std::string(", \"") + name + "\": true";
            default: return std::string(", \"") + name + "\": false";
        }
    };
    std::size_t fired = 0;
    for (int i = 0; i < 6000; ++i) {
        std::string r = std::string(R"({"customer": {"name": "C", "country": ")") + pick() + R"(", "hq_country": ")" + pick() + "\"";
        r += some_bool("foreign") + some_bool("identity_verified") + "}";
        r += R"(, "workload": {"kind": "training")" + some_bool("bio_sequence") + "}";
        r += R"(, "resource": {"chip": ")" + std::string(rng() % 2 ? "A30" : "H100-SXM") + "\"}";
        r += R"(, "intermediaries": [)";
        // (An element without its country sometimes: `any` and `sum` then fail closed, unless
        // another element decides.)
        auto country = [&] { return rng() % 8 ? std::string(R"(, "country": ")") + pick() + "\"" : std::string(); };
        for (unsigned k = 0, n = rng() % 3; k < n; ++k)
            r += std::string(k ? "," : "") + R"({"name": "I", "role": ")" + (rng() % 2 ? "reseller" : "broker") + "\"" + country() + "}";
        r += "]";
        r.insert(r.find("}"), R"(, "owners": [)");  // (into customer)
        {
            std::string owners;
            for (unsigned k = 0, n = rng() % 3; k < n; ++k)
                owners += std::string(k ? "," : "") + R"({"name": "O", "share": 0.)" + std::to_string(rng() % 10) + country() + "}";
            r.insert(r.find(R"(, "owners": [)") + 13, owners + "]");
        }
        r += "}";
        decide_both(set, s, all, r, 20000, {}, d2);
        fired += d2.fired.size();
    }
    CHECK(fired > 500);  // the requests do reach the rules
}

TEST_CASE("an index nobody filled finds no rules for any key (and reads nothing out of bounds)") {
    const Program::RuleIndex empty;
    for (std::uint64_t key : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{42} << 21, ~std::uint64_t{0} >> 1}) {
        CHECK_FALSE(empty.maybe(key));
        const auto [first, last] = empty.find(key);
        CHECK(first == last);
    }
}

TEST_CASE("plans decide as the trees do: reordered conjuncts, unions of sets, shared expressions") {
    // Each rule exercises one rewrite. `two_errors` has two conjuncts that fail on absent
    // attributes, the costlier first: the plan runs the cheap one first, yet must report
    // the leftmost failing conjunct (tpp) as the tree does. `per_element` shares an
    // expression that reads a bound variable: it must not be cached per request.
    // `let_inside` evaluates a let's quantifier (slot 0, like `p`) inside `p`'s body, then reads `p`.
    auto l = load_rules(R"(
policy plan {
  status in_force
  use sets from "data/groups.yaml"
  let far = customer.country in D5 or customer.country in MACAU or customer.country == "VN"
  rule two_errors { deny when resource.tpp * 2 + 1 > 10 and resource.performance_density > 1 and (any p in intermediaries: p.role == "reseller") because "a" cite "c" }
  rule union { deny when far and (customer.parent_hq_country == "SG" or customer.parent_hq_country in D5) because "b" cite "c" }
  rule shared_a { report when (any p in intermediaries: p.country in D5 or p.country in MACAU) and customer.foreign because "c" cite "c" }
  rule shared_b { report when (any p in intermediaries: p.country in D5 or p.country in MACAU) and resource.tpp >= 4800 because "d" cite "c" }
  rule per_element { report when any p in intermediaries: (any q in intermediaries: q.country == p.country and q.role != p.role) because "e" cite "c" }
  rule per_element_too { deny when any p in intermediaries: (any q in intermediaries: q.country == p.country and q.role != p.role) and p.country in D5 because "f" cite "c" }
  let any_d5 = any q in intermediaries: q.country in D5
  rule let_inside { report when any p in intermediaries: any_d5 and p.role == "broker" because "h" cite "c" }
  rule unless_union { deny when resource.tpp >= 1600 unless customer.hq_country in D5 or customer.hq_country == "SG" because "g" cite "c" }
}
)");
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    const Program& p = set.program();
    // The plan of `union` is two single set tests; `two_errors` runs the density test first
    // and the quantifier last.
    const auto u = rule_named(set, "plan.union");
    REQUIRE(u.plan_count == 2);
    const auto t = rule_named(set, "plan.two_errors");
    REQUIRE(t.plan_count == 3);
    CHECK(p.plan[t.plan_first].order == 1);
    CHECK(p.nodes[p.plan[t.plan_first + 2].node].op == NodeOp::Any);
    CHECK(p.plan[t.plan_first + 2].order == 2);
    // `shared_a` and `shared_b` share their quantifier, cached once per request as a let.
    const auto a = rule_named(set, "plan.shared_a"), b = rule_named(set, "plan.shared_b");
    REQUIRE(a.plan_count == 2);
    REQUIRE(b.plan_count == 2);
    auto let_step = [&](const ProgramRule& r) {
        for (std::uint32_t k = 0; k < r.plan_count; ++k)
            if (p.nodes[p.plan[r.plan_first + k].node].op == NodeOp::LetRef) return p.plan[r.plan_first + k].node;
        return -1;
    };
    CHECK(let_step(a) >= 0);
    CHECK(let_step(a) == let_step(b));

    // `p` is the broker; the let's `q` stops at the reseller in CN: `p.role` must read `p`.
    const auto o = decide(set, R"({"customer": {"name": "C", "country": "DE", "hq_country": "DE", "foreign": true},
        "intermediaries": [{"name": "B", "country": "DE", "role": "broker"}, {"name": "R", "country": "CN", "role": "reseller"}],
        "resource": {"chip": "A100", "tpp": 1, "performance_density": 1}})");
    CHECK(std::find(o.fired.begin(), o.fired.end(), std::string("plan.let_inside")) != o.fired.end());

    Session s(set);
    Reference ref(p);
    Decision d2;
    std::mt19937 rng(5);
    static const char* countries[] = {"CN", "MO", "VN", "SG", "DE", "US", "RU"};
    static const char* roles[] = {"reseller", "broker", "agent"};
    auto pick = [&](auto& arr) { return arr[rng() % (sizeof(arr) / sizeof(arr[0]))]; };
    int errors = 0, fired = 0;
    for (int i = 0; i < 4000; ++i) {
        std::string r = std::string(R"({"customer": {"name": "C", "country": ")") + pick(countries) + R"(", "hq_country": ")" +
                        pick(countries) + "\"";
        if (rng() % 4) r += std::string(", \"foreign\": ") + (rng() % 2 ? "true" : "false");
        r += R"(}, "intermediaries": [)";
        const int hops = static_cast<int>(rng() % 4);
        for (int h = 0; h < hops; ++h)
            r += std::string(h ? ", " : "") + R"({"name": "I", "country": ")" + pick(countries) + R"(", "role": ")" +
                 pick(roles) + "\"}";
        if (rng() % 3) r.insert(r.find("\"intermediaries\"") - 3, std::string(R"(, "parent_hq_country": ")") + pick(countries) + "\"");
        r += R"(], "resource": {"chip": "A100")";
        if (rng() % 3) r += ", \"tpp\": " + std::to_string(rng() % 8000);
        if (rng() % 3) r += ", \"performance_density\": " + std::to_string(rng() % 8);
        r += "}}";
        decide_both(set, s, ref, r, 20000, {}, d2);
        errors += static_cast<int>(d2.errors.size());
        fired += static_cast<int>(d2.fired.size());
    }
    // The requests reach every outcome: rules fire, and rules fail on absent attributes.
    CHECK(errors > 500);
    CHECK(fired > 2000);
}

TEST_CASE("the benchmarks' synthetic set of 1,000 rules decides alike both ways (pair keys, guards, presence)") {
    const std::string dir = bench::make_temp_dir();
    bench::write_synthetic_policy_set(dir, 1000);
    auto loaded = PolicySet::load(dir);
    bench::remove_tree(dir);
    INFO(render_all(loaded.diagnostics, *loaded.sources));
    REQUIRE(loaded.set);
    const auto& set = *loaded.set;
    const Program& p = set.program();
    // The set is indexed the way the benchmark relies on: keys of two attributes, and guards.
    CHECK(std::any_of(p.indexes.begin(), p.indexes.end(), [](const auto& ix) { return ix.columns.size() >= 2; }));
    CHECK(!p.guards.empty());
    CHECK(p.unindexed.size() < 10);
    Session s(set);
    Reference ref(p);
    Decision d2;
    std::size_t fired = 0;
    for (const auto& line : bench::generate_requests(3000, 42)) {
        decide_both(set, s, ref, line, 20500, {}, d2);
        fired += d2.fired.size();
    }
    CHECK(fired > 300);  // the requests do reach the rules
}

TEST_CASE("twin rules (same condition, other effect, message or citation) are evaluated once and reported each") {
    auto l = load_rules(R"(
policy a {
  status in_force
  use sets from "data/groups.yaml"
  let big = resource.tpp >= 4800
  rule deny_d5 { deny when customer.country in D5 and big because "deny {customer.name}" cite "15 CFR 744.23" }
  rule other { report when customer.country == "DE" because "o" cite "c" }
  rule report_d5 { report when customer.country in D5 and big to "BIS" within 15 days because "report" cite "EO 14110" }
}
policy b {
  status proposed
  use sets from "data/groups.yaml"
  let big = resource.tpp >= 4800
  rule deny_d5 { deny when customer.country in D5 and big because "proposed" cite "bill" }
}
)");
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    const Program& p = set.program();
    const auto deny = rule_index(set, "a.deny_d5"), report = rule_index(set, "a.report_d5"),
               other = rule_index(set, "a.other"), proposed = rule_index(set, "b.deny_d5");
    REQUIRE(deny >= 0);
    REQUIRE(report >= 0);
    CHECK(p.rules[report].twin_of == deny);  // the later rule of the two is the twin
    CHECK(p.rules[deny].twins_count == 1);
    CHECK(p.rules[other].twin_of == -1);
    CHECK(p.rules[proposed].twin_of == -1);  // another status: another window of enforcement

    // Both fire, with their own effects and messages, in rule order around "a.other".
    const auto cn = R"({"customer": {"name": "Q", "country": "CN"}, "resource": {"tpp": 5000}})";
    auto o = decide(set, cn);
    CHECK(o.verdict == "deny");
    CHECK(o.fired == Ids{"a.deny_d5", "a.report_d5"});
    CHECK(o.messages == Ids{"deny Q", "report"});
    CHECK(decide(set, cn, "2024-11-18", {Status::Proposed}).fired == Ids{"a.deny_d5", "a.report_d5", "b.deny_d5"});
    // Both fail closed, each with its own error entry.
    o = decide(set, R"({"customer": {"name": "Q", "country": "CN"}})");
    CHECK(o.verdict == "deny");
    CHECK(o.fired.empty());
    CHECK(o.errors == Ids{"a.deny_d5", "a.report_d5"});
    CHECK(decide(set, R"({"customer": {"name": "Q", "country": "DE"}, "resource": {"tpp": 5000}})").fired ==
          Ids{"a.other"});

    Agreement both(set);
    std::mt19937 rng(5);
    static const char* countries[] = {"CN", "RU", "DE", "US"};
    for (int i = 0; i < 2000; ++i) {
        std::string r = std::string(R"({"customer": {"name": "C", "country": ")") + countries[rng() % 4] + "\"}";
        if (rng() % 4) r += R"(, "resource": {"tpp": )" + std::to_string(rng() % 10000) + "}";
        both.check(r + "}", i % 2 ? std::vector<Status>{Status::Proposed} : std::vector<Status>{});
    }
}

TEST_CASE("threshold families: rules alike but for one constant are visited once, each fires on its own threshold") {
    // Three reporting tiers of one training-compute rule (the leader is the 1e23 tier), an
    // ownership pair over a shared sum, and a `>` family; `unless` may differ per member.
    auto l = load_rules(R"(
policy t {
  status in_force
  use sets from "data/groups.yaml"
  let d5_owned = sum(o in customer.owners where o.country in D5: o.share)
  rule tier26 { report when customer.foreign and workload.kind == "training" and workload.training_ops >= 1e26 because "26" cite "c" }
  rule tier23 { report when customer.foreign and workload.kind == "training" and workload.training_ops >= 1e23
                unless license.granted because "23" cite "c" }
  rule tier25 { deny when customer.foreign and workload.kind == "training" and workload.training_ops >= 1e25 because "25" cite "c" }
  rule half { report when customer.hq_country == "SG" and d5_owned >= 0.5 because "half" cite "c" }
  rule quarter { report when customer.hq_country == "SG" and d5_owned >= 0.25 because "quarter" cite "c" }
  rule over { report when customer.country == "AE" and resource.tpp > 4800 because "over" cite "c" }
  rule over_more { report when customer.country == "AE" and resource.tpp > 9000 because "over more" cite "c" }
}
)");
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    const Program& p = set.program();
    auto idx = [&](const char* id) { return rule_index(set, id); };
    CHECK(p.rules[idx("t.tier26")].family_of == idx("t.tier23"));
    CHECK(p.rules[idx("t.tier25")].family_of == idx("t.tier23"));
    CHECK(p.rules[idx("t.tier23")].family_count == 2);
    CHECK(p.rules[idx("t.half")].family_of == idx("t.quarter"));
    CHECK(p.rules[idx("t.over_more")].family_of == idx("t.over"));

    auto training = [](const char* ops, const char* licence) {
        return std::string(R"({"customer": {"name": "C", "country": "CN", "hq_country": "CN", "foreign": true},
                               "workload": {"kind": "training")") + ops + R"(}, "license": {"granted": )" + licence + "}}";
    };
    CHECK(decide(set, training(R"(, "training_ops": 5e25)", "false")).fired == Ids{"t.tier23", "t.tier25"});
    CHECK(decide(set, training(R"(, "training_ops": 5e25)", "true")).fired == Ids{"t.tier25"});  // 23's own unless
    CHECK(decide(set, training(R"(, "training_ops": 2e26)", "false")).fired == Ids{"t.tier23", "t.tier25", "t.tier26"});
    CHECK(decide(set, training(R"(, "training_ops": 1e22)", "false")).fired.empty());
    // No figure: every tier fails closed, each with its own error (rules in id order).
    CHECK(decide(set, training("", "false")).errors == Ids{"t.tier23", "t.tier25", "t.tier26"});

    Agreement both(set);
    std::mt19937 rng(17);
    static const char* countries[] = {"CN", "SG", "AE", "US"};
    static const char* ops[] = {"1e22", "1e23", "5e24", "1e25", "3e25", "1e26", "2e26"};
    for (int i = 0; i < 4000; ++i) {
        std::string r = std::string(R"({"customer": {"name": "C", "country": ")") + countries[rng() % 4] +
                        R"(", "hq_country": ")" + countries[rng() % 4] + "\"";
        if (rng() % 3) r += std::string(R"(, "foreign": )") + (rng() % 2 ? "true" : "false");
        r += R"(, "owners": [)";
        for (unsigned k = 0, n = rng() % 3; k < n; ++k)
            r += std::string(k ? "," : "") + R"({"name": "O", "country": ")" + countries[rng() % 4] +
                 R"(", "share": )" + std::to_string(static_cast<double>(rng() % 100) / 100) + "}";
        r += "]}";
        r += R"(, "workload": {"kind": ")" + std::string(rng() % 2 ? "training" : "inference") + "\"";
        if (rng() % 4) r += std::string(R"(, "training_ops": )") + ops[rng() % 7];
        r += "}";
        if (rng() % 4) r += R"(, "resource": {"chip": "X", "tpp": )" + std::to_string(rng() % 12000) + "}";
        if (rng() % 2) r += std::string(R"(, "license": {"granted": )") + (rng() % 2 ? "true" : "false") + "}";
        both.check(r + "}");
    }
}

TEST_CASE("lets alike in two policies share one cached value, and a rule spelling out a let's body reads the let") {
    // Policy b writes `d5_or_macau` the other way round, so the two `hq_or_parent_in_d5`
    // trees differ; once `c in D5 or c in MACAU` is one test on the union, they are the same.
    // `parent_behind` in policy b spells out the body of its own let `spelled`.
    auto lets = [](const char* d5_or_macau) {
        return std::string(R"(
  use sets from "data/groups.yaml"
  let d5_or_macau(c) = )") + d5_or_macau + R"(
  let hq_or_parent_in_d5 = d5_or_macau(customer.hq_country)
     or (has customer.parent_hq_country and d5_or_macau(customer.parent_hq_country))
)";
    };
    auto l = load_rules("policy a {\n  status in_force\n" + lets("c in D5 or c in MACAU") + R"(
  rule hq { deny when hq_or_parent_in_d5 and resource.tpp >= 4800 because "a" cite "c" }
}
policy b {
  status in_force
)" + lets("c in MACAU or c in D5") + R"(
  let spelled = d5_or_macau(customer.hq_country)
     or (has customer.parent_hq_country and d5_or_macau(customer.parent_hq_country))
  rule parent_behind { report when not d5_or_macau(customer.country)
     and (d5_or_macau(customer.hq_country) or (has customer.parent_hq_country and d5_or_macau(customer.parent_hq_country)))
     because "b" cite "c" }
  rule hq_too { report when hq_or_parent_in_d5 and customer.foreign because "c" cite "c" }
}
)");
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    const Program& p = set.program();
    // The let step of each rule, by the node it runs.
    auto let_step = [&](const ProgramRule& r) {
        for (std::uint32_t k = 0; k < r.plan_count; ++k) {
            const Node& n = p.nodes[p.plan[r.plan_first + k].node];
            if (n.op == NodeOp::LetRef) return n.let();
        }
        return -1;
    };
    const auto a = let_step(rule_named(set, "a.hq")), b = let_step(rule_named(set, "b.hq_too")),
               spelled = let_step(rule_named(set, "b.parent_behind"));
    REQUIRE(a >= 0);
    CHECK(a == b);        // one cache slot for both policies' let
    CHECK(spelled == a);  // and the spelled-out body reads it

    Agreement both(set);
    std::mt19937 rng(3);
    static const char* countries[] = {"CN", "MO", "DE", "US"};
    for (int i = 0; i < 2000; ++i) {
        std::string r = std::string(R"({"customer": {"name": "C", "country": ")") + countries[rng() % 4] +
                        R"(", "hq_country": ")" + countries[rng() % 4] + "\"";
        if (rng() % 2) r += std::string(R"(, "parent_hq_country": ")") + countries[rng() % 4] + "\"";
        if (rng() % 4) r += std::string(", \"foreign\": ") + (rng() % 2 ? "true" : "false");
        r += "}";
        if (rng() % 4) r += R"(, "resource": {"tpp": )" + std::to_string(rng() % 9000) + "}";
        both.check(r + "}");
    }
}

TEST_CASE("an aggregate compared with a bound is pinned to `some element in S` only when the bound makes it false without one") {
    // `count(o in L: o.f in S) >= 1` (or `> 0`) is false when no element's f is in S, so the
    // index may skip the rule then; `< 1`, `<= 0`, `== 0` and `>= 0` are true then (`!= 0`
    // is false, but is not pinned), and must be decided (session 17: a mutant that pinned
    // every number comparison survived).
    std::string rules = "policy agg {\n  status in_force\n  use sets from \"data/groups.yaml\"\n";
    int n = 0;
    for (const char* op : {"<", "<=", "==", "!=", ">", ">="})
        for (const char* bound : {"-1", "0", "1"}) {
            rules += fmt::format("  rule c{} {{ deny when count(o in customer.owners: o.country in D5) {} {} because \"c\" cite \"c\" }}\n", n, op, bound);
            rules += fmt::format("  rule s{} {{ report when sum(o in customer.owners where o.country in D5: o.share) {} {} because \"s\" cite \"c\" }}\n",
                                 n, op, bound);
            ++n;
        }
    rules += "}\n";
    auto l = load_rules(rules);
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    Session s(set);
    Reference all(set.program());
    Decision d2;
    std::size_t fired = 0;
    for (const char* owners : {"", R"({"name": "O", "country": "FR", "share": 0.5})", R"({"name": "O", "country": "CN", "share": 1})",
                               R"({"name": "O", "country": "CN", "share": 0.5}, {"name": "P", "country": "DE", "share": 0.5})"}) {
        const std::string r = std::string(R"({"customer": {"name": "C", "country": "DE", "hq_country": "DE", "foreign": true,
  "identity_verified": true, "owners": [)") + owners + R"(]}, "intermediaries": [], "workload": {"kind": "training"},
  "resource": {"chip": "A30"}, "license": {"granted": false}})";
        decide_both(set, s, all, r, 20000, {}, d2);
        fired += d2.fired.size();
    }
    CHECK(fired > 20);
}
