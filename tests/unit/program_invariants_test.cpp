// What the compiler promises about every Program, which the passes, the decoder and native
// code rely on instead of checking it again at run time (docs/mutation.md: a guard that
// could never fire was removed, or the speed-only work it protects is checked here):
// an `and`/`or` node has two kids; every enum value, every two-letter code (with a country
// in the schema) and every string constant is an interned string; a let of one leaf is
// read inline; a let with a key table reads its table in native code.
#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "cordon/engine/native.hpp"
#include "program/program.hpp"
#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

const char* kLeafLets = R"(
policy p {
  status in_force
  use sets from "data/groups.yaml"
  let licensed = license.granted
  let chinese = customer.country == "CN"
  let big = resource.tpp > 4800
  let d5 = customer.country in D5
  let counted = has resource.count
  rule a { deny when chinese and big and not licensed because "a" cite "c" }
  rule b { report when d5 and counted because "b" cite "c" }
}
)";

// Nodes reachable from `root` through kids, let references included.
void reach(const Program& p, std::int32_t root, std::set<std::int32_t>& out) {
    if (!out.insert(root).second) return;
    const Node& n = p.nodes[static_cast<std::size_t>(root)];
    if (n.op == NodeOp::LetRef) reach(p, p.lets[static_cast<std::size_t>(n.let())], out);
    for (const auto kid : p.kids_of(n)) reach(p, kid, out);
}

}  // namespace

TEST_CASE("invariant: an `and` or `or` node has two kids, under every pass") {
    for (const auto& passes : {CompileOptions{}, CompileOptions::all_off()}) {
        auto loaded = PolicySet::load(CORDON_SOURCE_DIR "/policies/us", passes);
        REQUIRE(loaded.set);
        std::size_t seen = 0;
        for (const auto& n : loaded.set->program().nodes)
            if (n.op == NodeOp::And || n.op == NodeOp::Or) {
                CHECK(n.kid_count() == 2);
                ++seen;
            }
        CHECK(seen > 20);  // (policies/us is full of them)
    }
}

TEST_CASE("invariant: a rule's plan steps have distinct written positions, every pass on and all off") {
    // The plan reports its leftmost failing conjunct's error by `order`, in the evaluator and
    // in native code (`order < err_order`): with distinct orders, `<` and `<=` pick alike
    // (docs/mutation.md, seed 21's #932). The shipped set and one whose rules are all
    // conjunctions, ordered differently by the planner.
    const char* conjunctions = R"(
policy p {
  status in_force
  rule a { deny when customer.country == "CN" and resource.tpp > 4800 and not license.granted and has resource.count because "a" cite "c" }
  rule b { report when resource.tpp > 1 and (customer.foreign and customer.identity_verified) and customer.country != "FR" because "b" cite "c" }
}
)";
    std::size_t steps = 0;
    for (const auto& passes : {CompileOptions{}, CompileOptions::all_off()}) {
        auto us = PolicySet::load(CORDON_SOURCE_DIR "/policies/us", passes);
        TempPolicySet tmp(std::map<std::string, std::string>{{"rules.cordon", conjunctions}});
        auto own = PolicySet::load(tmp.dir(), passes);
        REQUIRE(us.set);
        REQUIRE_MESSAGE(own.set, render_all(own.diagnostics, *own.sources));
        for (const Program* p : {&us.set->program(), &own.set->program()})
            for (const auto& r : p->rules) {
                std::set<std::int32_t> orders;
                for (std::uint32_t k = 0; k < r.plan_count; ++k) orders.insert(p->plan[r.plan_first + k].order);
                CHECK(orders.size() == r.plan_count);
                steps += r.plan_count;
            }
    }
    CHECK(steps > 100);
}

TEST_CASE("invariant: enum values, two-letter codes and string constants are interned strings") {
    auto loaded = PolicySet::load(CORDON_SOURCE_DIR "/policies/us", CompileOptions::all_off());
    REQUIRE(loaded.set);
    const auto& set = *loaded.set;
    const Program& p = set.program();
    std::size_t enums = 0;
    for (const auto& a : set.checked().attrs.attrs)
        for (const auto& v : a.enum_values) {
            CHECK_MESSAGE(p.find_string(v) != Program::npos, v);
            ++enums;
        }
    CHECK(enums > 0);
    for (char x = 'A'; x <= 'Z'; ++x)
        for (char y = 'A'; y <= 'Z'; ++y) CHECK(p.find_string(std::string{x, y}) != Program::npos);
    for (const auto& n : p.nodes) {
        if (n.op == NodeOp::AttrEqStr || n.op == NodeOp::ElemEqStr) CHECK(n.string_id() < p.strings.size());
        if (n.op == NodeOp::Const && n.type == Type::String) CHECK(n.constant().s < p.strings.size());
    }
    // The decoder reads these ids as they are (no look-up): an enum value and a country
    // come back as the program's own strings.
    Session s(set);
    REQUIRE(!s.decoder.decode_json(
        R"({"customer": {"name": "A", "country": "DE", "hq_country": "DE", "foreign": true, "identity_verified": true,
            "owners": []}, "intermediaries": [{"name": "B", "country": "FR", "role": "broker"}],
            "resource": {"chip": "H100"}, "workload": {"kind": "inference"}, "license": {"granted": false}})",
        s.request));
    const auto& country = s.request.root[static_cast<std::size_t>(p.attr_slot[set.checked().attrs.attr_by_path.at("customer.country")])];
    CHECK(country.s < p.strings.size());  // a program string, not one of the request's own
    CHECK(s.request.text(p, country.s) == "DE");
}

TEST_CASE("invariant: a let of one leaf (constant, attribute, fused comparison, `has`) is read inline, not through the let cache") {
    // (Under all passes: with `fuse` off, `customer.country == "CN"` is no leaf.)
    TempPolicySet tmp(std::map<std::string, std::string>{{"rules.cordon", kLeafLets}});
    auto loaded = PolicySet::load(tmp.dir());
    INFO(render_all(loaded.diagnostics, *loaded.sources));
    REQUIRE(loaded.set);
    const Program& p = loaded.set->program();
    CHECK(p.lets.size() == 5);
    std::size_t steps = 0;
    for (const auto& r : p.rules)
        for (std::uint32_t k = 0; k < r.plan_count; ++k) {
            std::set<std::int32_t> nodes;
            reach(p, p.plan[r.plan_first + k].node, nodes);
            for (const auto node : nodes) CHECK(p.nodes[static_cast<std::size_t>(node)].op != NodeOp::LetRef);
            ++steps;
        }
    CHECK(steps == 5);
}

TEST_CASE("invariant: native code reads the key table of every let that has one, let 0 included") {
    // (A let gets a table when it costs enough: `chip_tpp` does, `zone` does not.)
    const char* rules = R"(
policy p {
  status in_force
  use sets from "data/groups.yaml"
  use table chips from "data/chips.yaml"
  let chip_tpp = if resource.chip in chips then (chips[resource.chip].tpp * 2 + 1) * 3 - 5 else 0
  let zone = if customer.country in D5 then 3 else if customer.country in D1 then 2 else 0
  rule a { deny when chip_tpp >= 4800 and zone >= 2 because "a" cite "c" }
  rule b { report when chip_tpp + zone >= 4 because "b" cite "c" }
}
)";
    TempPolicySet tmp(std::map<std::string, std::string>{{"rules.cordon", rules}});
    auto loaded = PolicySet::load(tmp.dir());
    INFO(render_all(loaded.diagnostics, *loaded.sources));
    REQUIRE(loaded.set);
    const Program& p = loaded.set->program();
    REQUIRE(p.lets.size() >= 2);
    REQUIRE(p.let_key_table[0] >= 0);  // (the case the test is for)
    const std::string source = native_source(p);
    std::size_t keyed = 0, plain = 0;
    for (std::size_t let = 0; let < p.lets.size(); ++let) {
        INFO("let " << let);
        const std::string head = "V let" + std::to_string(let) + "_body(C* c) { V v; ";
        const auto at = source.find(head);
        REQUIRE(at != std::string::npos);
        // `if (true && <the other attributes absent>) { <the table> } else { <the body> }`
        const bool reads_table = source.compare(at + head.size(), 8, "if (true") == 0;
        CHECK(reads_table == (p.let_key_table[let] >= 0));
        (reads_table ? keyed : plain) += 1;
    }
    CHECK(keyed == 1);
    CHECK(plain == 1);
}
