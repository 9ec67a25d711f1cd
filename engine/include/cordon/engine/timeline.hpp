// Timelines: the days on which the decision for one request changes, from the rules'
// effective and sunset dates, with the decision in each interval.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "cordon/engine/policy_set.hpp"

namespace cordon {

/// [from, until) with the decision and the fired rules; open ends are nullopt.
struct TimelineInterval {
    std::optional<std::int32_t> from;
    std::optional<std::int32_t> until;
    Verdict verdict = Verdict::Allow;
    std::vector<std::string> fired;
    std::vector<std::string> errors;
};

/// Decides `request` on every day where some enforced rule starts or stops applying
/// (the request's own `time` and `enforced.as_of` are ignored; its statuses and included
/// policies say what is enforced) and merges days with the same outcome.
std::vector<TimelineInterval> timeline(const PolicySet& set, const Request& request, const EvalOptions& enforced);

}  // namespace cordon
