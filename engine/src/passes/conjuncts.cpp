// A rule's plan: its `when` flattened into top-level conjuncts (always), then ordered
// cheapest and likeliest false first (pass `plan`; off: as written). The first false
// conjunct ends the rule. Kleene `and` is commutative up to which error it reports, so each
// conjunct keeps its written position and the rule reports the error of its leftmost
// failing conjunct, exactly as the tree does.
#include <algorithm>

#include "passes/plan_passes.hpp"

namespace cordon {
namespace {

void flatten(const Program& p, std::int32_t index, std::vector<PlanStep>& steps) {
    const Node& n = p.nodes[index];
    if (n.op == NodeOp::And) {
        flatten(p, p.kid(n, 0), steps);
        flatten(p, p.kid(n, 1), steps);
        return;
    }
    const bool negate = n.op == NodeOp::Not;  // `not c`: run c, expect false
    steps.push_back({negate ? p.kid(n, 0) : index, static_cast<std::int32_t>(steps.size()), negate});
}

}  // namespace

void flatten_conjuncts(const std::vector<std::int32_t>& when, Program& p) {
    std::vector<PlanStep> steps;
    for (std::size_t i = 0; i < p.rules.size(); ++i) {
        auto& r = p.rules[i];
        steps.clear();
        flatten(p, when[i], steps);
        r.plan_first = static_cast<std::uint32_t>(p.plan.size());
        r.plan_count = static_cast<std::uint32_t>(steps.size());
        p.plan.insert(p.plan.end(), steps.begin(), steps.end());
    }
}

void order_conjuncts(const NodeFacts& facts, Program& p, bool on) {
    if (!on) return;  // (off: the conjuncts as written)
    // A conjunct is worth running early when it is cheap and likely to be false: rank by
    // cost / P(false), the order that minimises the expected cost of independent tests.
    // mutation: skip from here: cost model only, cannot change a decision (the order of conjuncts)
    auto rank = [&](const PlanStep& x) {
        const double p_true = x.negate ? 1 - facts.p_true[x.node] : facts.p_true[x.node];
        return facts.cost[x.node] / std::max(0.02, 1 - p_true);
    };
    // mutation: skip to here
    for (auto& r : p.rules) {
        auto b = p.plan.begin() + r.plan_first;
        std::stable_sort(b, b + r.plan_count, [&](const PlanStep& x, const PlanStep& y) { return rank(x) < rank(y); });
    }
}

}  // namespace cordon
