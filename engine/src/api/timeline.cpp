// timeline(): the decision is constant between rule boundaries (effective and sunset days)
// and the days dated set members join or leave and dated table rows start or end
// (Program::set_epochs), so deciding once per boundary (and once
// before the first) gives the whole history and future.
#include "cordon/engine/timeline.hpp"
#include "program/program.hpp"

#include <algorithm>
#include <limits>

namespace cordon {

std::vector<TimelineInterval> timeline(const PolicySet& set, const Request& request, const EvalOptions& enforced) {
    const auto& program = set.program();
    std::vector<std::int32_t> days;
    for (std::size_t i = 0; i < program.rules.size(); ++i) {
        const auto& r = program.rules[i];
        if (!enforced.enforces(program.rule_policy[i], r.status)) continue;
        if (r.effective != std::numeric_limits<std::int32_t>::min()) days.push_back(r.effective);
        if (r.sunset != std::numeric_limits<std::int32_t>::max()) days.push_back(r.sunset);
    }
    days.insert(days.end(), program.set_epochs.begin(), program.set_epochs.end());
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());

    Evaluator ev(program);
    Decision d;
    std::vector<TimelineInterval> out;
    auto decide_on = [&](std::optional<std::int32_t> from, std::int32_t day) {
        EvalOptions o = enforced;
        o.as_of = day;
        ev.decide(request, o, d);
        TimelineInterval t;
        t.from = from;
        t.verdict = d.verdict;
        for (auto i : d.fired) t.fired.push_back(set.checked().rules[i].id);
        for (const auto& e : d.errors) t.errors.push_back(set.checked().rules[e.rule].id);
        if (!out.empty() && out.back().verdict == t.verdict && out.back().fired == t.fired && out.back().errors == t.errors)
            return;  // same outcome: the interval goes on
        if (!out.empty()) out.back().until = from;
        out.push_back(std::move(t));
    };
    decide_on(std::nullopt, days.empty() ? 0 : days.front() - 1);
    for (auto day : days) decide_on(day, day);
    return out;
}

}  // namespace cordon
