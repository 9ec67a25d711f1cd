// Twin rules (docs/engine.md, "Terms the code uses"): rules that decide alike. Two rules whose plans run the same conjunct nodes in
// the same order (nodes are hash-consed, so equal conditions are equal node ids), with the
// same `unless`, status and window of days, fire or fail together on every request, however
// their effects, messages and citations differ. A rule book has such families: one
// condition cited under two authorities, or many rules that differ only in their messages.
// The first of a family (its head) is indexed and evaluated; its outcome is given to every
// twin. `explain` and the reference path still evaluate each rule's own trees.
#include "passes/twins.hpp"

#include <map>
#include <tuple>

namespace cordon {

void group_twins(Program& p, bool enabled) {
    using Key = std::tuple<std::vector<std::int64_t>, std::int32_t, Status, std::int32_t, std::int32_t>;
    std::map<Key, std::uint32_t> head_of;
    std::map<std::uint32_t, std::vector<std::uint32_t>> family;  // head -> twins, in rule order
    for (std::uint32_t i = 0; i < p.rules.size(); ++i) {
        ProgramRule& r = p.rules[i];
        std::vector<std::int64_t> steps;
        steps.reserve(r.plan_count * 3);
        for (std::uint32_t k = 0; k < r.plan_count; ++k) {
            const PlanStep& s = p.plan[r.plan_first + k];
            steps.insert(steps.end(), {s.node, s.order, s.negate ? 1 : 0});
        }
        const auto [it, fresh] = head_of.emplace(Key{std::move(steps), r.plan_unless, r.status, r.effective, r.sunset}, i);
        if (fresh || !enabled) continue;
        r.twin_of = static_cast<std::int32_t>(it->second);
        family[it->second].push_back(i);
    }
    for (auto& r : p.rules) r.effects = static_cast<std::uint8_t>(1u << static_cast<unsigned>(r.effect));
    for (auto& [head, twins] : family) {
        ProgramRule& r = p.rules[head];
        for (const auto t : twins) r.effects |= p.rules[t].effects;
        r.twins_first = static_cast<std::uint32_t>(p.twins.size());
        r.twins_count = static_cast<std::uint32_t>(twins.size());
        p.twins.insert(p.twins.end(), twins.begin(), twins.end());
    }
}

}  // namespace cordon
