// `cordon lint`: parse and type-check a policy set; print every diagnostic with a caret.
#include <fmt/format.h>

#include "common.hpp"
#include "cordon/engine/json_text.hpp"

namespace cordon::cli {

namespace {
struct LintOptions {
    std::string dir;
    bool strict = false;
    EvalFlags flags;
};

int run_lint(const LintOptions& options) {
    LintOptions o = options;
    o.dir = policy_set_path(o.dir);  // `.` is named by its full path
    auto result = PolicySet::load(o.dir);
    const bool colour = o.flags.colour_stderr();
    std::size_t warnings = 0;
    for (const auto& d : result.diagnostics.items())
        if (d.severity == Severity::Warning) ++warnings;
    if (o.flags.format == "json") {
        std::string out = "[";
        bool first = true;
        for (const auto& d : result.diagnostics.items()) {
            const auto lc = result.sources->line_col(d.span.file, d.span.begin);
            if (!first) out += ',';
            first = false;
            out += fmt::format("{{\"severity\":\"{}\",\"code\":\"{}\",\"file\":",
                               d.severity == Severity::Error ? "error" : d.severity == Severity::Warning ? "warning" : "note",
                               d.code);
            // Escaped as JSON (fmt's `{:?}` is not JSON: it writes \x01 and \u{200b}).
            append_json_string(out, d.span.file ? result.sources->path(d.span.file) : std::string());
            out += fmt::format(",\"line\":{},\"column\":{},\"message\":", lc.line, lc.column);
            append_json_string(out, d.message);
            out += ",\"hint\":";
            append_json_string(out, d.hint);
            out += '}';
        }
        out += "]\n";
        std::fputs(out.c_str(), stdout);
    } else {
        const auto text = render_all(result.diagnostics, *result.sources, colour);
        std::fputs(text.c_str(), stderr);
        if (result.set) {
            const auto& c = result.set->checked();
            fmt::print("{}: ok: {} polic{}, {} rule{}, {} warning{} ({})\n", o.dir, c.policies.size(),
                       c.policies.size() == 1 ? "y" : "ies", c.rules.size(), c.rules.size() == 1 ? "" : "s", warnings,
                       warnings == 1 ? "" : "s", result.set->digest());
        } else {
            const auto n = result.diagnostics.error_count();
            fmt::print(stderr, "{}: {} error{}, {} warning{}\n", o.dir, n, n == 1 ? "" : "s", warnings,
                       warnings == 1 ? "" : "s");
        }
    }
    if (!result.set) return kPolicyError;
    if (o.strict && warnings > 0) return kPolicyError;
    return kOk;
}
}  // namespace

void setup_lint(CLI::App& app) {
    auto o = std::make_shared<LintOptions>();
    auto* cmd = app.add_subcommand("lint", "Parse and type-check a policy set; print errors and warnings");
    cmd->footer(
        "Diagnostics read file:line:col: error[CODE]: message, then the line with a caret.\n"
        "Exit status: 0 no errors, 2 errors (or warnings with --strict).\n"
        "\n"
        "Example:\n"
        "  cordon lint policies/us");
    cmd->add_option("dir", o->dir, "Policy-set directory (holds cordon.yaml)")->required();
    cmd->add_flag("--strict", o->strict, "Treat warnings as errors");
    cmd->add_option("--format", o->flags.format, "Output: text or json")->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("--color", o->flags.color, "Colour: auto, always, never")
        ->check(CLI::IsMember({"auto", "always", "never"}));
    run_with_exit_status(cmd, [o] { return run_lint(*o); });
}

}  // namespace cordon::cli
