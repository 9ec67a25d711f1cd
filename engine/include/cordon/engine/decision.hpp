// Decision: the outcome of one request, with the rules that determined it and every error.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "cordon/engine/value.hpp"

namespace cordon {

enum class Verdict : std::uint8_t { Allow, Deny, Report };
const char* verdict_name(Verdict v);

/// Where a decision's day came from: the request's `time`, the caller's `as_of`
/// (`--as-of`), or the clock (today). The JSON decision's `"time_source"`.
enum class TimeSource : std::uint8_t { Request, Option, Clock };

/// A rule that could not be evaluated, and why (fails closed unless `on_error: skip`).
struct RuleError {
    std::uint32_t rule = 0;
    Value error;
};

/// Rule indices refer to CheckedPolicySet::rules, which is sorted by "policy.rule", so
/// `fired` and `errors` come out sorted and decisions are byte-for-byte stable.
/// Vectors keep their capacity across `clear()`: deciding into a reused Decision allocates nothing.
struct Decision {
    Verdict verdict = Verdict::Allow;
    std::vector<std::uint32_t> fired;
    std::vector<RuleError> errors;
    std::int32_t as_of = 0;
    TimeSource time_source = TimeSource::Option;  // where `as_of` came from
    /// What was enforced (EvalOptions): the statuses, a bit per Status, and the policies
    /// included whatever their status (not owned; as the options gave it, may be null).
    std::uint8_t statuses = 0;
    const std::vector<std::uint32_t>* policies = nullptr;

    void clear() {
        verdict = Verdict::Allow;
        fired.clear();
        errors.clear();
    }
};

}  // namespace cordon
