// Pass `guards`: the lets most rules require as conjuncts (up to 64, the most required
// first) are guards (docs/engine.md, "Terms the code uses"). Once a rule has computed a guard and found it false, every other
// candidate requiring it is skipped without being touched (Evaluator::guarded_out). A guard
// is never computed just to skip (the plan's order decides what is worth computing), and a
// guard that fails skips nothing: errors must be seen. Off: no guards; every rule runs.
#include <algorithm>
#include <map>

#include "passes/plan_passes.hpp"

namespace cordon {

void choose_guards(Program& p, bool on) {
    // A rule requires a let when one of its conjuncts is a read of that (boolean) let, not
    // negated: the let false, the rule is false. The same test counts a let's uses and
    // files the rules under their guards.
    auto required = [&](const PlanStep& step) {
        return !step.negate && p.nodes[step.node].op == NodeOp::LetRef && p.nodes[step.node].type == Type::Bool;
    };
    std::map<std::int32_t, std::size_t> uses;  // LetRef node -> rules requiring it
    for (const auto& r : p.rules)
        for (std::uint32_t k = 0; k < r.plan_count; ++k)
            if (const PlanStep& step = p.plan[r.plan_first + k]; required(step)) ++uses[step.node];
    std::vector<std::pair<std::size_t, std::int32_t>> ranked;
    for (const auto& [node, n] : uses)
        if (n >= 2 && on) ranked.emplace_back(n, node);
    std::sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) { return x.first > y.first || (x.first == y.first && x.second < y.second); });  // mutation: skip line: which lets guard first (distinct nodes: no ties), speed only
    if (ranked.size() > 64) ranked.resize(64);
    std::map<std::int32_t, std::uint64_t> bit;
    for (const auto& [n, node] : ranked) {
        bit[node] = std::uint64_t{1} << p.guards.size();
        p.guards.push_back(p.nodes[node].let());
    }
    p.rule_guards.assign(p.rules.size(), 0);
    for (std::size_t i = 0; i < p.rules.size(); ++i) {
        const auto& r = p.rules[i];
        for (std::uint32_t k = 0; k < r.plan_count; ++k)
            if (const PlanStep& step = p.plan[r.plan_first + k]; required(step))
                if (auto it = bit.find(step.node); it != bit.end()) p.rule_guards[i] |= it->second;
    }
}

}  // namespace cordon
