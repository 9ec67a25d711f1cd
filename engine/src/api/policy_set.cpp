// PolicySet: loading and compiling, evaluation options, and writing decisions.
#include "cordon/engine/policy_set.hpp"

#include <atomic>
#include <chrono>
#include <fmt/format.h>

#include "cordon/dsl/check.hpp"
#include "cordon/dsl/parse.hpp"
#include "cordon/engine/json_text.hpp"
#include "compile/constants.hpp"
#include "program/program.hpp"

namespace cordon {

using namespace std::string_view_literals;  // `out += "..."sv`: no strlen per piece of a decision

namespace {
// Whether what compile() would build over `set` fits Limits::compiled_data_bytes; else an
// E0306 error at the manifest. Dense bitsets and key maps cost sets x windows of days x
// strings: 13 KB for policies/us, but gigabytes for 40,000 dated rows of their own days
// or 100,000 literal sets over 100,000 strings.
bool fits_compiled_data(const CheckedPolicySet& set, const Limits& limits, Diagnostics& diags) {
    const DataSize d = data_size(set);
    if (d.bytes <= limits.compiled_data_bytes) return true;
    diags.error(diag::kLimit, set.manifest.span,
                fmt::format("the compiled sets and tables would take {} bytes, more than the limit of {} (sets: {}, "
                            "tables: {}, strings: {}, windows of days: {})",
                            d.bytes, limits.compiled_data_bytes, d.bitsets, set.tables.size(), d.strings, d.windows),
                "every set holds a bit per string, and dated data one copy per window between its dates "
                "(docs/limits.md): use fewer dates, sets or tables");
    return false;
}
// How text output says where the day came from: "as of 2026-11-20 from the request".
const char* time_source_text(TimeSource s) {
    switch (s) {
        case TimeSource::Request: return "from the request";
        case TimeSource::Option: return "from --as-of";
        case TimeSource::Clock: return "today";
    }
    return "";
}
}  // namespace

std::int32_t today() {
    using namespace std::chrono;
    return static_cast<std::int32_t>(
        duration_cast<days>(system_clock::now().time_since_epoch()).count());
}

LoadResult PolicySet::load(const std::string& dir, const Limits& limits, const CompileOptions& options) {
    LoadResult r;
    r.sources = std::make_shared<SourceMap>();
    auto checked = load_policy_set(dir, *r.sources, r.diagnostics, limits);
    if (checked && fits_compiled_data(*checked, limits, r.diagnostics))
        r.set = from_checked(std::move(*checked), r.sources, limits, options);
    return r;
}

std::uint64_t next_program_generation() {
    static std::atomic<std::uint64_t> counter{0};
    return counter.fetch_add(1, std::memory_order_relaxed) + 1;
}

std::uint64_t PolicySet::program_generation() const { return program_->generation; }
std::uint8_t PolicySet::enforce_mask() const { return program_->enforce_mask; }

std::shared_ptr<const PolicySet> PolicySet::from_checked(CheckedPolicySet checked,
                                                         std::shared_ptr<SourceMap> sources, const Limits& limits,
                                                         const CompileOptions& options) {
    auto set = std::shared_ptr<PolicySet>(new PolicySet());
    set->limits_ = limits;
    set->checked_ = std::move(checked);
    set->program_ = compile(set->checked_, options);
    set->sources_ = std::move(sources);
    set->digest_ = "sha256:" + sha256_hex(canonical_text(set->checked_));
    set->policy_rules_.assign(set->checked_.policies.size(), 0);
    for (const auto& r : set->checked_.rules) ++set->policy_rules_[static_cast<std::size_t>(r.policy)];
    for (const auto& r : set->checked_.rules) {
        append_json_string(set->rule_id_json_.emplace_back(), r.id);
        std::string& tail = set->rule_tail_json_.emplace_back(",\"cite\":");
        append_json_string(tail, r.cite);
        tail += ",\"status\":\"";
        tail += status_name(set->checked_.policies[r.policy].status);
        tail += "\"}";
    }
    set->set_json_ = "{\"name\":";
    append_json_string(set->set_json_, set->name());
    set->set_json_ += ",\"digest\":";
    append_json_string(set->set_json_, set->digest_);
    set->set_json_ += '}';
    return set;
}

NotEnforced PolicySet::not_enforced(const EvalOptions& options) const {
    NotEnforced n;
    for (std::uint32_t p = 0; p < checked_.policies.size(); ++p) {
        const auto& policy = checked_.policies[p];
        const std::uint32_t rules = policy_rules_[p];
        if (!options.enforces(p, policy.status)) n.by_status[static_cast<unsigned>(policy.status)] += rules;
        else if (policy.effective && options.as_of < *policy.effective) n.not_yet_effective += rules;
        else if (policy.sunset && options.as_of >= *policy.sunset) n.past_sunset += rules;
    }
    return n;
}

NotEnforced PolicySet::not_enforced(const Decision& d) const {
    EvalOptions o;
    o.as_of = d.as_of;
    o.statuses = d.statuses;
    o.policies = d.policies;
    return not_enforced(o);
}

int PolicySet::policy_index(std::string_view name) const {
    for (std::size_t p = 0; p < checked_.policies.size(); ++p)
        if (checked_.policies[p].name == name) return static_cast<int>(p);
    return -1;
}

std::string NotEnforced::text() const {
    const std::uint32_t n = total();
    if (n == 0) return {};
    std::string out = fmt::format("{} rule{}", n, n == 1 ? "" : "s");
    std::string counts, statuses;
    for (unsigned s = 0; s < 5; ++s) {
        if (!by_status[s]) continue;
        counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", by_status[s], status_name(static_cast<Status>(s)));
        statuses += fmt::format("{}{}", statuses.empty() ? "" : ",", status_name(static_cast<Status>(s)));
    }
    const char* sep = ": ";
    if (!counts.empty()) {
        out += fmt::format("{}{} (add --include {})", sep, counts, statuses);
        sep = "; ";
    }
    if (not_yet_effective) {
        out += fmt::format("{}{} not yet effective", sep, not_yet_effective);
        sep = "; ";
    }
    if (past_sunset) out += fmt::format("{}{} past sunset", sep, past_sunset);
    return out;
}

EvalOptions PolicySet::options(const Request& request, std::int32_t as_of,
                               const std::vector<Status>& include,
                               const std::vector<std::uint32_t>* policies) const {
    EvalOptions o;
    o.as_of = request.time ? *request.time : as_of;
    o.time_source = request.time ? TimeSource::Request : TimeSource::Option;
    o.statuses = program_->enforce_mask;
    for (auto s : include) o.statuses |= status_bit(s);
    if (policies && !policies->empty()) o.policies = policies;
    return o;
}

std::optional<RequestError> PolicySet::options(const Request& request, const DayPolicy& day, EvalOptions& out,
                                               const std::vector<Status>& include,
                                               const std::vector<std::uint32_t>* policies) const {
    if (auto refused = day.refusal(request)) return refused;
    out = options(request, day.as_of, include, policies);
    out.as_of = day.day(request);
    out.time_source = day.source_for(request);
    return std::nullopt;
}

std::string PolicySet::value_text(const Request& request, const Value& v) const {
    switch (v.tag) {
        case Value::Tag::Absent: return "<absent>";
        case Value::Tag::Bool: return v.b ? "true" : "false";
        case Value::Tag::Number: {
            std::string s;
            append_json_number(s, v.n);
            return s;
        }
        case Value::Tag::String: return std::string(request.text(*program_, v.s));
        case Value::Tag::Date: return format_date(v.d);
        case Value::Tag::Error: return "<error>";
    }
    return "?";
}

std::string PolicySet::message(Evaluator& ev, const Request& request, std::uint32_t rule) const {
    std::string out;
    for (const auto& part : program_->messages[rule]) {
        if (part.node < 0) {
            out += part.text;
            continue;
        }
        const Value v = ev.evaluate(request, part.node, true);
        out += v.is_error() ? "<unknown>" : value_text(request, v);
    }
    return out;
}

std::string PolicySet::error_text(const Request& request, const RuleError& e) const {
    const auto& rule = checked_.rules[e.rule].id;
    const std::uint32_t kind = e.error.err >> 24;
    const std::uint32_t detail = e.error.err & 0xffffff;
    switch (kind) {
        case kAbsentAttribute:
            return fmt::format("rule {} read attribute `{}`, which the request does not give", rule,
                               checked_.attrs.attrs[detail].path);
        case kMissingTableKey:
            return fmt::format("rule {} looked up \"{}\", which is not a key of table `{}`", rule,
                               request.text(*program_, e.error.aux), checked_.tables[detail].name);
        case kMissingTableCell:
            return fmt::format("rule {} read column `{}` of table `{}`, which that row does not have", rule,
                               checked_.tables[detail].table.columns[e.error.aux], checked_.tables[detail].name);
        case kDivisionByZero: return fmt::format("rule {} divided by zero", rule);
        case kNonFinite: return fmt::format("rule {} computed a number out of range", rule);
    }
    return fmt::format("rule {} could not be evaluated", rule);
}

void PolicySet::write_json(Evaluator& ev, const Request& request, const Decision& d, std::string& out) const {
    write_json_with([&](std::uint32_t rule) { return message(ev, request, rule); }, request, d, out);
}

void PolicySet::write_json(const ReferenceEvaluator& ref, const Request& request, const Decision& d,
                           std::string& out) const {
    write_json_with([&](std::uint32_t rule) { return ref.message(request, rule, d.as_of); }, request, d, out);
}

void PolicySet::write_text(Evaluator& ev, const Request& request, const Decision& d, std::string& out,
                           bool colour) const {
    write_text_with([&](std::uint32_t rule) { return message(ev, request, rule); }, request, d, out, colour);
}

void PolicySet::write_text(const ReferenceEvaluator& ref, const Request& request, const Decision& d,
                           std::string& out, bool colour) const {
    write_text_with([&](std::uint32_t rule) { return ref.message(request, rule, d.as_of); }, request, d, out, colour);
}

template <class Messages>
void PolicySet::write_json_with(Messages&& message, const Request& request, const Decision& d, std::string& out) const {
    out += "{\"id\":"sv;
    if (request.id.empty()) out += "null"sv; else append_json_string(out, request.id);
    out += ",\"decision\":\""sv;
    out += verdict_name(d.verdict);
    out += "\",\"fired\":["sv;
    bool first = true;
    for (auto i : d.fired) {
        const auto& r = checked_.rules[i];
        if (!first) out += ',';
        first = false;
        out += "{\"rule\":"sv;
        out += rule_id_json_[i];
        out += ",\"effect\":\""sv;
        out += ast::effect_name(r.effect);
        out += "\",\"message\":"sv;
        append_json_string(out, message(i));
        out += rule_tail_json_[i];
    }
    out += "],\"reports\":["sv;
    first = true;
    for (auto i : d.fired) {
        const auto& r = checked_.rules[i];
        if (r.effect != ast::Effect::Report) continue;
        if (!first) out += ',';
        first = false;
        out += "{\"rule\":"sv;
        out += rule_id_json_[i];
        out += ",\"to\":"sv;
        if (r.report) append_json_string(out, r.report->to); else out += "null"sv;
        out += ",\"within_days\":"sv;
        if (r.report) out += std::to_string(r.report->within_days); else out += "null"sv;
        out += ",\"due\":"sv;
        if (r.report) {
            out += '"';
            out += format_date(d.as_of + r.report->within_days);
            out += '"';
        } else {
            out += "null"sv;
        }
        out += '}';
    }
    out += "],\"errors\":["sv;
    first = true;
    for (const auto& e : d.errors) {
        if (!first) out += ',';
        first = false;
        out += "{\"rule\":"sv;
        append_json_string(out, checked_.rules[e.rule].id);
        out += ",\"message\":"sv;
        append_json_string(out, error_text(request, e));
        out += '}';
    }
    out += "],\"as_of\":\""sv;
    out += format_date(d.as_of);
    out += "\",\"time_source\":\""sv;
    out += time_source_name(d.time_source);
    out += "\",\"enforced\":{\"statuses\":["sv;
    first = true;
    for (unsigned s = 0; s < 5; ++s) {
        if (!((d.statuses >> s) & 1)) continue;
        if (!first) out += ',';
        first = false;
        out += '"';
        out += status_name(static_cast<Status>(s));
        out += '"';
    }
    out += "],\"policies\":["sv;
    if (d.policies)
        for (std::size_t k = 0; k < d.policies->size(); ++k) {
            if (k) out += ',';
            append_json_string(out, checked_.policies[(*d.policies)[k]].name);
        }
    const NotEnforced skipped = not_enforced(d);
    out += "]},\"not_enforced\":{\"rules\":"sv;
    out += std::to_string(skipped.total());
    out += ",\"statuses\":{"sv;
    first = true;
    for (unsigned s = 0; s < 5; ++s) {
        if (!skipped.by_status[s]) continue;
        if (!first) out += ',';
        first = false;
        out += '"';
        out += status_name(static_cast<Status>(s));
        out += "\":"sv;
        out += std::to_string(skipped.by_status[s]);
    }
    out += "},\"not_yet_effective\":"sv;
    out += std::to_string(skipped.not_yet_effective);
    out += ",\"past_sunset\":"sv;
    out += std::to_string(skipped.past_sunset);
    out += "},\"policy_set\":"sv;
    out += set_json_;
    out += '}';
}

void write_input_error_json(const PolicySet* set, std::string_view id, const std::string* input,
                            std::string_view message, std::int32_t as_of, std::string& out, TimeSource source) {
    out += "{\"id\":"sv;
    if (id.empty()) out += "null"sv; else append_json_string(out, id);
    out += ",\"decision\":\"deny\",\"fired\":[],\"reports\":[],\"errors\":[{\"rule\":null,\"input\":"sv;
    if (input) append_json_string(out, *input); else out += "null"sv;
    out += ",\"message\":"sv;
    append_json_string(out, message);
    out += "}],\"as_of\":\""sv;
    out += format_date(as_of);
    out += "\",\"time_source\":\""sv;
    out += time_source_name(source);
    out += "\",\"policy_set\":"sv;
    if (!set) {
        out += "null}"sv;
        return;
    }
    out += "{\"name\":"sv;
    append_json_string(out, set->name());
    out += ",\"digest\":"sv;
    append_json_string(out, set->digest());
    out += "}}"sv;
}

template <class Messages>
void PolicySet::write_text_with(Messages&& message, const Request& request, const Decision& d, std::string& out,
                                bool colour) const {
    auto paint = [&](const char* code, std::string_view s) {
        return colour ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : std::string(s);
    };
    const char* verdict_colour = d.verdict == Verdict::Deny ? "1;31" : d.verdict == Verdict::Report ? "1;33" : "1;32";
    std::string upper = verdict_name(d.verdict);
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out += fmt::format("{}  {}  (as of {} {}; {} {})\n", paint(verdict_colour, upper),
                       request.id.empty() ? std::string("<no id>") : printable(request.id), format_date(d.as_of),
                       time_source_text(d.time_source), name(), short_digest());
    if (d.fired.empty() && d.errors.empty()) out += "  no rule fired\n"sv;
    if (const auto skipped = not_enforced(d).text(); !skipped.empty())
        out += fmt::format("  {} {}\n", paint("2", "not enforced:"), skipped);
    for (auto i : d.fired) {
        const auto& r = checked_.rules[i];
        const char* effect = ast::effect_name(r.effect);
        const char* c = r.effect == ast::Effect::Deny ? "31" : r.effect == ast::Effect::Report ? "33" : "32";
        out += fmt::format("  {}  {}\n", paint(c, fmt::format("{:<6}", effect)), paint("1", r.id));
        out += fmt::format("          {}\n", printable(message(i)));
        out += fmt::format("          {} {}  [{}]\n", paint("2", "cite:"), r.cite.empty() ? "(none)" : r.cite,
                           status_name(checked_.policies[r.policy].status));
        if (r.effect == ast::Effect::Report && r.report)
            out += fmt::format("          {} {} within {} day{} (due {})\n", paint("2", "report to:"), r.report->to,
                               r.report->within_days, r.report->within_days == 1 ? "" : "s",
                               format_date(d.as_of + r.report->within_days));
    }
    for (const auto& e : d.errors) {
        out += fmt::format("  {}  {}\n", paint("35", "error "), paint("1", checked_.rules[e.rule].id));
        out += fmt::format("          {}{}\n", printable(error_text(request, e)),
                           program_->on_error == OnError::Deny ? " (fails closed: deny)" : " (skipped)");
    }
}

}  // namespace cordon
