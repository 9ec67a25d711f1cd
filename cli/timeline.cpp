// `cordon timeline`: when does the decision for this request change?
#include <fmt/format.h>

#include "common.hpp"
#include "cordon/dsl/parse.hpp"
#include "cordon/engine/json_text.hpp"
#include "cordon/engine/timeline.hpp"

namespace cordon::cli {

namespace {

struct TimelineCommand {
    std::string policy_dir;
    std::string request;
    EvalFlags flags;
};

int run(const TimelineCommand& o) {
    std::int32_t as_of = 0;
    std::vector<Status> include;
    if (!o.flags.resolve(as_of, include)) return kUsage;
    auto set = load_or_report(o.policy_dir, o.flags.colour_stderr());
    if (!set) return kPolicyError;
    std::vector<std::uint32_t> policies;
    if (!o.flags.resolve_policies(*set, policies)) return kUsage;
    Session s(*set);
    if (!read_request(o.request, s)) return kInputError;
    const auto enforced = set->options(s.request, as_of, include, &policies);
    const auto intervals = timeline(*set, s.request, enforced);
    // Rules whose status is not enforced never enter the timeline (dates are its subject).
    NotEnforced skipped = set->not_enforced(enforced);
    skipped.not_yet_effective = skipped.past_sunset = 0;
    std::string out;
    if (o.flags.format == "json") {
        out += "{\"id\":";
        if (s.request.id.empty()) out += "null"; else append_json_string(out, s.request.id);
        out += ",\"intervals\":[";
        for (std::size_t i = 0; i < intervals.size(); ++i) {
            const auto& t = intervals[i];
            if (i) out += ',';
            out += fmt::format("{{\"from\":{},\"until\":{},\"decision\":\"{}\",\"fired\":[",
                               t.from ? "\"" + format_date(*t.from) + "\"" : "null",
                               t.until ? "\"" + format_date(*t.until) + "\"" : "null", verdict_name(t.verdict));
            for (std::size_t k = 0; k < t.fired.size(); ++k) {
                if (k) out += ',';
                append_json_string(out, t.fired[k]);
            }
            out += "],\"errors\":[";
            for (std::size_t k = 0; k < t.errors.size(); ++k) {
                if (k) out += ',';
                append_json_string(out, t.errors[k]);
            }
            out += "]}";
        }
        out += fmt::format("],\"not_enforced\":{{\"rules\":{},\"statuses\":{{", skipped.total());
        bool first = true;
        for (unsigned st = 0; st < 5; ++st) {
            if (!skipped.by_status[st]) continue;
            out += fmt::format("{}\"{}\":{}", first ? "" : ",", status_name(static_cast<Status>(st)), skipped.by_status[st]);
            first = false;
        }
        out += "}}}\n";
    } else {
        out += fmt::format("timeline for {} (the request's own time is ignored)\n",
                           s.request.id.empty() ? "<no id>" : s.request.id);
        for (const auto& t : intervals) {
            std::string when;
            if (!t.from && !t.until) when = "always";
            else if (!t.from) when = fmt::format("before {}", format_date(*t.until));
            else if (!t.until) when = fmt::format("from {}", format_date(*t.from));
            else when = fmt::format("{} to {}", format_date(*t.from), format_date(*t.until - 1));
            out += fmt::format("  {:<26}  {}\n", when, verdict_name(t.verdict));
            for (const auto& f : t.fired) out += fmt::format("      fired {}\n", f);
            for (const auto& e : t.errors) out += fmt::format("      error {}\n", e);
        }
        if (skipped.total()) out += fmt::format("  not enforced on any day: {}\n", skipped.text());
    }
    std::fputs(out.c_str(), stdout);
    return kOk;
}

}  // namespace

void setup_timeline(CLI::App& app) {
    auto o = std::make_shared<TimelineCommand>();
    auto* cmd = app.add_subcommand("timeline", "The days on which the decision for a request changes");
    cmd->footer(
        "Decides the request on every day an enforced rule starts (effective) or stops (sunset)\n"
        "applying, and prints each interval (before DAY, DAY to DAY, from DAY) with its decision\n"
        "and fired rules. The request's own `time` is ignored.\n"
        "\n"
        "Examples:\n"
        "  cordon timeline -p policies/us examples/requests/shenzhen_university.json\n"
        "  cordon timeline -p policies/us --include rescinded,proposed,bill request.json");
    add_policy_option(cmd, o->policy_dir);
    add_request_argument(cmd, o->request);
    o->flags.add_to(*cmd, true, false);  // every day is evaluated: no --as-of
    run_with_exit_status(cmd, [o] { return run(*o); });
}

}  // namespace cordon::cli
