// `cordon explain`: the decision plus, for every rule, each condition and its value.
#include <fmt/format.h>

#include "common.hpp"
#include "cordon/dsl/parse.hpp"
#include "cordon/engine/explain.hpp"
#include "cordon/engine/json_text.hpp"

namespace cordon::cli {

namespace {

struct ExplainCommand {
    std::string policy_dir;
    std::string request;
    bool all = false;
    bool reference = false;
    EvalFlags flags;
};

void print_node(std::string& out, const ExplainNode& n, int depth, bool colour) {
    const std::string indent(static_cast<std::size_t>(depth) * 2 + 6, ' ');
    std::string value = n.value;
    if (colour) {
        const char* c = !n.evaluated ? "2" : n.value == "true" ? "32" : n.value == "false" ? "31" : n.value == "error" ? "35" : "36";
        value = fmt::format("\x1b[{}m{}\x1b[0m", c, n.value);
    }
    std::string text = n.text.size() > 90 ? n.text.substr(0, 87) + "..." : n.text;
    out += fmt::format("{}{}  = {}\n", indent, text, value);
    for (const auto& c : n.children) print_node(out, c, depth + 1, colour);
}

void node_json(std::string& out, const ExplainNode& n) {
    out += "{\"text\":";
    append_json_string(out, n.text);
    out += ",\"value\":";
    if (n.evaluated) append_json_string(out, n.value); else out += "null";
    out += ",\"children\":[";
    for (std::size_t i = 0; i < n.children.size(); ++i) {
        if (i) out += ',';
        node_json(out, n.children[i]);
    }
    out += "]}";
}

int run(const ExplainCommand& o) {
    DayPolicy day;
    std::vector<Status> include;
    if (!o.flags.resolve(day, include)) return kUsage;
    auto set = load_or_report(o.policy_dir, o.flags.colour_stderr());
    if (!set) return kPolicyError;
    std::vector<std::uint32_t> policies;
    if (!o.flags.resolve_policies(*set, policies)) return kUsage;
    Session s(*set);
    EvalOptions opts;
    if (!read_request(o.request, s) || !day_or_report(*set, s, o.request, day, opts, include, &policies))
        return kInputError;
    const auto ex = explain(*set, s.request, opts, o.reference);
    const bool colour = o.flags.colour_stdout();
    std::string out;
    if (o.flags.format == "json") {
        set->write_json(s.reference, s.request, ex.decision, out);
        out.pop_back();  // reopen the decision object to add the trace
        out += ",\"rules\":[";
        for (std::size_t i = 0; i < ex.rules.size(); ++i) {
            const auto& r = ex.rules[i];
            if (i) out += ',';
            out += "{\"rule\":";
            append_json_string(out, r.rule);
            out += fmt::format(",\"effect\":\"{}\",\"status\":\"{}\",\"active\":{},\"fired\":{}", ast::effect_name(r.effect),
                               status_name(r.status), r.active ? "true" : "false", r.fired ? "true" : "false");
            out += ",\"inactive_reason\":";
            append_json_string(out, r.inactive_reason);
            out += ",\"error\":";
            append_json_string(out, r.error);
            out += ",\"when\":";
            if (r.when) node_json(out, *r.when); else out += "null";
            out += ",\"unless\":";
            if (r.unless) node_json(out, *r.unless); else out += "null";
            out += '}';
        }
        out += "]}\n";
    } else {
        set->write_text(s.reference, s.request, ex.decision, out, colour);
        out += "\nrules:\n";
        auto paint = [&](const char* code, std::string_view t) {
            return colour ? fmt::format("\x1b[{}m{}\x1b[0m", code, t) : std::string(t);
        };
        std::size_t inactive = 0;
        for (const auto& r : ex.rules) {
            if (!r.active) {
                ++inactive;
                if (o.all) out += fmt::format("  {:<6} {}  {}\n", ast::effect_name(r.effect), r.rule, paint("2", "inactive: " + r.inactive_reason));
                continue;
            }
            const std::string state = r.fired ? paint("1", "FIRED") : !r.error.empty() ? paint("35", "ERROR") : "not fired";
            out += fmt::format("  {:<6} {}  {}\n", ast::effect_name(r.effect), paint("1", r.rule), state);
            if (!r.error.empty()) out += fmt::format("      {}\n", r.error);
            if (r.when) {
                out += "    when\n";
                print_node(out, *r.when, 0, colour);
            }
            if (r.unless) {
                out += "    unless\n";
                print_node(out, *r.unless, 0, colour);
            }
        }
        if (inactive && !o.all)
            out += fmt::format("  ({} inactive rule{} not shown: --all lists them with the reason)\n", inactive,
                               inactive == 1 ? "" : "s");
    }
    std::fputs(out.c_str(), stdout);
    return kOk;
}

}  // namespace

void setup_explain(CLI::App& app) {
    auto o = std::make_shared<ExplainCommand>();
    auto* cmd = app.add_subcommand("explain", "Decide one request and show, for every rule, each condition and its value");
    cmd->footer(
        "Every active rule is listed with its `when` and `unless` conditions as written, the value\n"
        "each took for this request, and the attribute values read; short-circuited parts say\n"
        "`not evaluated`. Inactive rules (status not enforced, outside their dates) are counted;\n"
        "--all lists them with the reason.\n"
        "\n"
        "Examples:\n"
        "  cordon explain -p policies/us examples/requests/shenzhen_university.json\n"
        "  cordon explain -p policies/us --include proposed,bill --all request.yaml\n"
        "  cordon explain -p policies/us --format json request.json | jq '.rules[] | select(.fired)'");
    add_policy_option(cmd, o->policy_dir);
    add_request_argument(cmd, o->request);
    cmd->add_flag("--all", o->all, "Also list inactive rules, with the reason");
    cmd->add_flag("--reference", o->reference,
                  "Take the decision from the reference evaluator (the plain definition of the language); "
                  "the conditions are still traced through the compiled program");
    o->flags.add_to(*cmd);
    o->flags.add_request_time_to(*cmd);
    run_with_exit_status(cmd, [o] { return run(*o); });
}

}  // namespace cordon::cli
