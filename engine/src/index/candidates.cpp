// The rules active under a decision's options, refreshed when the options change: the
// cold half of finding candidates (candidates.hpp holds the per-request half). Part of the
// Evaluator: its bitmaps are per-thread scratch, all zero between decisions.
#include <algorithm>

#include "cordon/engine/evaluate.hpp"
#include "program/program.hpp"

namespace cordon {

// The rules active under `options` (status enforced, `effective <= as_of < sunset`; not
// twins), as a bitmap the candidates are masked with; the unindexed ones among them; and
// the lists and index keys that hold any of them (the others are not consulted: in
// `policies/us` every pinned rule is proposed, a bill or rescinded). Valid for this status
// mask within this window of days (see Program::window_bounds).
void Evaluator::refresh_active(const EvalOptions& options, std::uint32_t window) {
    const auto& rules = program_.rules;
    std::fill(active_.begin(), active_.end(), 0);
    for (std::uint32_t i = 0; i < rules.size(); ++i) {
        const ProgramRule& r = rules[i];
        if (r.twin_of < 0 && r.family_of < 0 && options.enforces(program_.rule_policy[i], r.status) &&
            options.as_of >= r.effective && options.as_of < r.sunset)
            active_[i >> 6] |= std::uint64_t{1} << (i & 63);
    }
    // A head settles its twins and family members, which are not active themselves: right
    // when a group is enforced together. Statuses enforce it together (its members share
    // one status and window); a policy included by name may enforce part of it, and then
    // decide() has every rule decided on its own, as the reference does.
    const auto enforced = [&](std::uint32_t i) { return options.enforces(program_.rule_policy[i], rules[i].status); };
    active_split_ = std::any_of(rules.begin(), rules.end(), [&](const ProgramRule& r) {
        const std::int32_t head = r.twin_of >= 0 ? r.twin_of : r.family_of;
        const auto i = static_cast<std::uint32_t>(&r - rules.data());
        return head >= 0 && enforced(i) != enforced(static_cast<std::uint32_t>(head));
    });
    on_own_ = visit_all_ || active_split_;
    active_unindexed_.clear();
    for (const auto i : program_.unindexed) {
        if (!((active_[i >> 6] >> (i & 63)) & 1)) continue;
        if (active_unindexed_.empty() || active_unindexed_.back().word != i / 64) active_unindexed_.push_back({i / 64, 0});
        active_unindexed_.back().bits |= std::uint64_t{1} << (i % 64);
    }
    auto any_active = [&](const std::vector<RuleWord>& words) {
        return std::any_of(words.begin(), words.end(), [&](const RuleWord& w) { return (active_[w.word] & w.bits) != 0; });
    };
    active_present_.clear();
    for (const auto& pr : program_.when_present)
        if (any_active(pr.rules)) active_present_.push_back(&pr);
    active_indexes_.clear();
    for (const auto& ix : program_.indexes) {
        if (!any_active(ix.rules)) continue;
        IndexProbe entry;
        entry.index = &ix;
        entry.count = static_cast<std::uint32_t>(ix.columns.size());
        for (std::size_t c = 0; c < ix.columns.size(); ++c) {
            const auto& col = ix.columns[c];
            entry.columns[c] = {col.kind, col.codes, col.slot, col.elem, col.stride, static_cast<std::uint32_t>(col.values.size()),
                                col.values.data(), col.absent.data(), col.absent.data() + col.absent.size()};
            entry.strings += col.kind == Program::RuleIndex::Column::Kind::String;
        }
        active_indexes_.push_back(entry);
    }
    active_valid_ = true;
    ++active_refreshes_;
    active_statuses_ = options.statuses;
    if (options.policies) active_policies_.assign(options.policies->begin(), options.policies->end());
    else active_policies_.clear();
    active_by_name_ = !active_policies_.empty();
    active_window_ = window;
}

}  // namespace cordon
