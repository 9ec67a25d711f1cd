// The day a request is decided on: the operator's day (--as-of, else today), the request's
// own envelope `time`, and the operator's rule between them (--request-time, --time-window;
// docs/security.md, "A request's own time").
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cordon/engine/decision.hpp"
#include "cordon/engine/request.hpp"

namespace cordon {

/// What a decision makes of a request's own `time`: decide as of it (the default, for
/// replaying logs), refuse a request that carries one (fail closed), or ignore it.
enum class RequestTime : std::uint8_t { Honour, Refuse, Ignore };

/// "request", "option", "clock".
const char* time_source_name(TimeSource s);
/// "honour" (or "honor"), "refuse", "ignore"; nullopt for anything else.
std::optional<RequestTime> parse_request_time(std::string_view text);

/// The days a request's `time` may name at all, whatever the rule: 1990-01-01 to
/// 2099-12-31 (days since 1970-01-01). Outside them a `time` is an input error: no
/// remote-access log predates 1990, and a later year is a typo or a request escaping
/// the rules in force (year 0, 9999).
inline constexpr std::int32_t kFirstRequestDay = 7305;
inline constexpr std::int32_t kLastRequestDay = 47481;

/// "expected a day from 1990-01-01 to 2099-12-31, got 9999-01-01", or "" when `day` is one.
std::string request_day_problem(std::int32_t day);

/// The days an honoured `time` must fall in: FROM..TO (inclusive; either end may be
/// left open), or DAYS either side of the operator's day. Empty: no window.
struct TimeWindow {
    std::optional<std::int32_t> from, to;  // absolute ends
    std::optional<std::int32_t> days;      // or: the operator's day +- days
    bool empty() const { return !from && !to && !days; }
    /// Parses "2026-01-01..2026-12-31", "2026-01-01..", "..2026-12-31" or "30"; nullopt
    /// with `error` saying why.
    static std::optional<TimeWindow> parse(std::string_view text, std::string& error);
};

/// The rule for the day of a decision: the operator's day and what to make of a request's
/// own `time`. PolicySet::options applies it to each request (check, explain, bench, the
/// C ABI); the default honours `time` with no window, as docs/interfaces.md documents.
struct DayPolicy {
    std::int32_t as_of = 0;                  // the operator's day
    TimeSource source = TimeSource::Option;  // where `as_of` came from: Option or Clock
    RequestTime request_time = RequestTime::Honour;
    TimeWindow window;                       // an honoured `time` must fall in it

    /// Why `request` may not be decided under this rule (it carries a `time` and the rule
    /// refuses one, or its `time` is outside the window or the sane range): an input error
    /// at `time`, to be decided deny (fail closed). Nothing when it may.
    std::optional<RequestError> refusal(const Request& request) const;
    /// The day `request` is decided on, and where it came from (after `refusal`).
    std::int32_t day(const Request& request) const {
        return request.time && request_time == RequestTime::Honour ? *request.time : as_of;
    }
    TimeSource source_for(const Request& request) const {
        return request.time && request_time == RequestTime::Honour ? TimeSource::Request : source;
    }
};

}  // namespace cordon
