// The day a request is decided on: --request-time and --time-window (request_time.hpp).
#include "cordon/engine/request_time.hpp"

#include <charconv>
#include <fmt/format.h>

#include "cordon/dsl/parse.hpp"

namespace cordon {

const char* time_source_name(TimeSource s) {
    switch (s) {
        case TimeSource::Request: return "request";
        case TimeSource::Option: return "option";
        case TimeSource::Clock: return "clock";
    }
    return "option";
}

std::optional<RequestTime> parse_request_time(std::string_view text) {
    if (text == "honour" || text == "honor") return RequestTime::Honour;
    if (text == "refuse") return RequestTime::Refuse;
    if (text == "ignore") return RequestTime::Ignore;
    return std::nullopt;
}

std::string request_day_problem(std::int32_t day) {
    if (day >= kFirstRequestDay && day <= kLastRequestDay) return {};
    return fmt::format("expected a day from {} to {}, got {}", format_date(kFirstRequestDay),
                       format_date(kLastRequestDay), format_date(day));
}

std::optional<TimeWindow> TimeWindow::parse(std::string_view text, std::string& error) {
    TimeWindow w;
    const auto dots = text.find("..");
    if (dots == std::string_view::npos) {
        int days = -1;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), days);
        if (ec != std::errc() || end != text.data() + text.size() || days < 0 || days > 36500) {
            error = fmt::format("\"{}\" is neither FROM..TO (dates, YYYY-MM-DD; either may be left out) nor a "
                                "number of days from 0 to 36500",
                                text);
            return std::nullopt;
        }
        w.days = days;
        return w;
    }
    const auto end_of = [&](std::string_view part, const char* which, std::optional<std::int32_t>& out) {
        if (part.empty()) return true;
        out = parse_date(part);
        if (!out) error = fmt::format("the {} of \"{}\", \"{}\", is not a date (YYYY-MM-DD)", which, text, part);
        return out.has_value();
    };
    if (!end_of(text.substr(0, dots), "start", w.from) || !end_of(text.substr(dots + 2), "end", w.to))
        return std::nullopt;
    if (w.from && w.to && *w.from > *w.to) {
        error = fmt::format("\"{}\" ends before it starts", text);
        return std::nullopt;
    }
    if (w.empty()) {
        error = "\"..\" names no day: give FROM..TO, FROM.., ..TO or a number of days";
        return std::nullopt;
    }
    return w;
}

std::optional<RequestError> DayPolicy::refusal(const Request& request) const {
    if (!request.time) return std::nullopt;
    const std::int32_t t = *request.time;
    if (auto problem = request_day_problem(t); !problem.empty()) return RequestError{"time", std::move(problem)};
    if (request_time == RequestTime::Refuse)
        return RequestError{"time", fmt::format("the request gives its own time ({}) and the operator refuses "
                                                "requests that do (--request-time refuse); decided deny",
                                                format_date(t))};
    if (request_time == RequestTime::Ignore) return std::nullopt;
    std::int32_t from = window.from.value_or(kFirstRequestDay), to = window.to.value_or(kLastRequestDay);
    if (window.days) {
        from = as_of - *window.days;
        to = as_of + *window.days;
    }
    if (t < from || t > to)
        return RequestError{"time", fmt::format("{} is outside the window the operator allows ({}..{}, "
                                                "--time-window); decided deny",
                                                format_date(t), format_date(from), format_date(to))};
    return std::nullopt;
}

}  // namespace cordon
