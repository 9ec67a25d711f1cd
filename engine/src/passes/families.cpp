// Threshold families (docs/engine.md, "Terms the code uses"): rules whose plans are the same but for one conjunct `e >= c` (or
// `>`, `<`, `<=`) over the same `e`, with another constant `c`: one training threshold per
// kind of data, two ownership shares that each need a report. The member with the least
// demanding constant (the leader) is indexed and evaluated; the others are not visited.
// When the leader's `when` is false, so is every member's: either a shared conjunct is
// false, or `e` fails the leader's constant and so every stricter one. Otherwise each member
// compares `e` (cached, or one attribute read) with its own constant: false there makes it
// false; else its `when` is the leader's outcome, true or the same leftmost error (an error
// in `e` is the same error in every member's threshold, at the same place). Each member
// then runs its own `unless`, and fires or fails with its twins.
#include "passes/families.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

namespace cordon {
namespace {

// A threshold conjunct: its comparison, what it compares (a node: an attribute's, or any
// number) and its constant.
struct Threshold {
    NodeOp op = NodeOp::Ge;
    std::int32_t operand = 0;
    double constant = 0;
};

bool ordering(NodeOp op) { return op == NodeOp::Ge || op == NodeOp::Gt || op == NodeOp::Le || op == NodeOp::Lt; }

std::optional<Threshold> threshold_of(const Program& p, const PlanStep& step) {
    if (step.negate) return std::nullopt;
    const Node& n = p.nodes[step.node];
    if (n.op == NodeOp::AttrCmpNum) {  // fused `attr <op> number`: its attribute is its one kid
        if (!ordering(n.comparison())) return std::nullopt;
        return Threshold{n.comparison(), p.kid(n, 0), n.number()};
    }
    if (!ordering(n.op) || n.operand_type() != Type::Number) return std::nullopt;
    const Node& c = p.nodes[p.kid(n, 1)];  // (a comparison has two kids)
    if (c.op != NodeOp::Const || c.constant().tag != Value::Tag::Number) return std::nullopt;
    return Threshold{n.op, p.kid(n, 0), c.constant().n};
}

}  // namespace

void group_families(Program& p) {
    // Rules alike but for the threshold at one place in their plans, by that place.
    using Key = std::tuple<std::vector<std::int64_t>, std::uint32_t, NodeOp, std::int32_t, std::int32_t, Status,
                           std::int32_t, std::int32_t, std::uint64_t>;
    std::map<Key, std::vector<std::pair<double, std::uint32_t>>> alike;
    for (std::uint32_t i = 0; i < p.rules.size(); ++i) {
        const ProgramRule& r = p.rules[i];
        if (r.twin_of >= 0) continue;  // decided by its head
        for (std::uint32_t at = 0; at < r.plan_count; ++at) {
            const auto t = threshold_of(p, p.plan[r.plan_first + at]);
            if (!t) continue;
            std::vector<std::int64_t> steps;
            for (std::uint32_t k = 0; k < r.plan_count; ++k) {
                const PlanStep& s = p.plan[r.plan_first + k];
                steps.insert(steps.end(), {k == at ? -1 : s.node, s.order, s.negate ? 1 : 0});
            }
            alike[Key{std::move(steps), at, t->op, t->operand, p.plan[r.plan_first + at].order, r.status, r.effective,
                      r.sunset, p.rule_guards[i]}]
                .push_back({t->constant, i});
        }
    }
    std::vector<bool> taken(p.rules.size(), false);
    for (auto& [key, rules] : alike) {
        std::erase_if(rules, [&](const auto& e) { return taken[e.second]; });
        if (rules.size() < 2) continue;
        const NodeOp op = std::get<2>(key);
        const bool lower = op == NodeOp::Ge || op == NodeOp::Gt;  // the leader: least constant, else greatest
        std::stable_sort(rules.begin(), rules.end(),
                         [&](const auto& x, const auto& y) { return lower ? x.first < y.first : x.first > y.first; });
        const std::uint32_t leader = rules.front().second;
        const std::uint32_t at = std::get<1>(key);
        ProgramRule& lr = p.rules[leader];
        lr.family_first = static_cast<std::uint32_t>(p.family.size());
        lr.family_count = static_cast<std::uint32_t>(rules.size() - 1);
        taken[leader] = true;
        for (std::size_t k = 1; k < rules.size(); ++k) {
            const std::uint32_t m = rules[k].second;
            ProgramRule& mr = p.rules[m];
            mr.family_of = static_cast<std::int32_t>(leader);
            const std::int32_t threshold = p.plan[mr.plan_first + at].node;
            p.family.push_back({m, threshold, static_cast<std::int32_t>(std::get<3>(key)), op, rules[k].first});
            taken[m] = true;
        }
    }
}

}  // namespace cordon
