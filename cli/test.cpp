// `cordon test`: run the *.test.yaml cases beside the policies; report and cover.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <map>

#include "common.hpp"
#include "cordon/dsl/parse.hpp"
#include "cordon/engine/json_text.hpp"
#include "cordon/tools/test_runner.hpp"

namespace cordon::cli {

namespace {

struct TestCommand {
    std::string path;
    bool coverage = false;
    bool verbose = false;
    bool reference = false;
    bool override_as_of = false;
    std::string filter;
    EvalFlags flags;
    PassFlags passes;  // --passes, --no-pass (hidden)
};

std::string list_or_none(const std::vector<std::string>& v) {
    return v.empty() ? std::string("(none)") : fmt::format("{}", fmt::join(v, ", "));
}

void print_text(const TestReport& r, const TestCommand& o, bool colour) {
    auto paint = [&](const char* code, std::string_view s) {
        return colour ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : std::string(s);
    };
    for (const auto& c : r.cases) {
        if (c.passed && !o.verbose) continue;
        fmt::print("{}  {}:{}  {}\n", c.passed ? paint("32", "PASS") : paint("1;31", "FAIL"), c.file, c.line, c.name);
        if (c.passed) continue;
        if (c.decision.empty()) {
            fmt::print("        {}\n", c.problem);
            continue;
        }
        fmt::print("        {}\n", c.problem);
        fmt::print("        {:<10} {:<8} {}\n", "", "decision", "fired");
        fmt::print("        {:<10} {:<8} {}\n", "expected", c.expect.decision.value_or("-"),
                   c.expect.fired ? list_or_none(*c.expect.fired) : std::string("-"));
        fmt::print("        {:<10} {:<8} {}\n", "actual", c.decision, list_or_none(c.fired));
        if (c.expect.reports && *c.expect.reports != c.reports)
            fmt::print("        reports: expected {}, actual {}\n", list_or_none(*c.expect.reports), list_or_none(c.reports));
        if ((c.expect.errors && *c.expect.errors != c.errors) || (!c.expect.errors && !c.errors.empty())) {
            fmt::print("        errors: expected {}, actual {}\n", c.expect.errors ? list_or_none(*c.expect.errors) : "(none)",
                       list_or_none(c.errors));
            for (const auto& t : c.error_texts) fmt::print("          {}\n", t);
        }
    }
    if (o.coverage) {
        for (const auto& [dir, rules] : r.coverage) {
            std::string shown = dir;
            while (shown.size() > 1 && shown.back() == '/') shown.pop_back();
            fmt::print("\ncoverage of {} ({} rule{})\n", shown, rules.size(), rules.size() == 1 ? "" : "s");
            fmt::print("  {:>5}  {:>6}  {}\n", "fired", "unless", "rule");
            std::vector<std::string> never, unless_never;
            for (const auto& rc : rules) {
                fmt::print("  {:>5}  {:>6}  {}\n", rc.fired,
                           rc.has_unless ? std::to_string(rc.unless_exercised) : std::string("-"), rc.rule);
                if (rc.fired == 0) never.push_back(rc.rule);
                if (rc.has_unless && rc.unless_exercised == 0) unless_never.push_back(rc.rule);
            }
            fmt::print("  (fired: cases in which the rule fired; unless: cases in which `when` held and the exception applied)\n");
            fmt::print("  rules no case made fire: {}\n", list_or_none(never));
            fmt::print("  unless clauses no case exercised: {}\n", list_or_none(unless_never));
        }
    }
    for (const auto& [dir, rules] : r.never_enforced) {
        std::map<std::string, int> why;
        for (const auto& [rule, reason] : rules) ++why[reason];
        std::vector<std::string> parts;
        for (const auto& [reason, n] : why) parts.push_back(fmt::format("{} {}", n, reason));
        fmt::print("{} {} rule{} of {} enforced in no case ({}); add `include:` or `include_policy:` to a case, "
                   "or --include / --include-policy\n",
                   paint("2", "not enforced:"), rules.size(), rules.size() == 1 ? "" : "s", dir, fmt::join(parts, "; "));
    }
    fmt::print("{} passed, {} failed\n", r.passed(), r.failed());
}

void print_json(const TestReport& r) {
    std::string out = "{\"cases\":[";
    auto list = [&](const std::vector<std::string>& v) {
        out += '[';
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (i) out += ',';
            append_json_string(out, v[i]);
        }
        out += ']';
    };
    bool first = true;
    for (const auto& c : r.cases) {
        if (!first) out += ',';
        first = false;
        out += "{\"file\":";
        append_json_string(out, c.file);
        out += fmt::format(",\"line\":{},\"name\":", c.line);
        append_json_string(out, c.name);
        out += fmt::format(",\"passed\":{},\"decision\":", c.passed ? "true" : "false");
        append_json_string(out, c.decision);
        out += ",\"fired\":";
        list(c.fired);
        out += ",\"errors\":";
        list(c.errors);
        out += ",\"problem\":";
        append_json_string(out, c.problem);
        out += '}';
    }
    out += fmt::format("],\"passed\":{},\"failed\":{},\"coverage\":{{", r.passed(), r.failed());
    first = true;
    for (const auto& [dir, rules] : r.coverage) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, dir);
        out += ":[";
        for (std::size_t i = 0; i < rules.size(); ++i) {
            if (i) out += ',';
            out += "{\"rule\":";
            append_json_string(out, rules[i].rule);
            out += fmt::format(",\"fired\":{},\"unless\":{}}}", rules[i].fired,
                               rules[i].has_unless ? std::to_string(rules[i].unless_exercised) : "null");
        }
        out += ']';
    }
    out += "},\"not_enforced\":{";
    first = true;
    for (const auto& [dir, rules] : r.never_enforced) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, dir);
        out += ":[";
        for (std::size_t i = 0; i < rules.size(); ++i) {
            if (i) out += ',';
            out += "{\"rule\":";
            append_json_string(out, rules[i].first);
            out += ",\"why\":";
            append_json_string(out, rules[i].second);
            out += '}';
        }
        out += ']';
    }
    out += "}}\n";
    std::fputs(out.c_str(), stdout);
}

int run(const TestCommand& o) {
    std::int32_t as_of = 0;
    std::vector<Status> include;
    TestOptions opts;
    if (!o.flags.resolve(as_of, include) || !o.passes.resolve(opts.passes)) return kUsage;
    opts.filter = o.filter;
    if (!o.flags.as_of.empty()) opts.as_of = as_of;
    opts.include = include;
    opts.reference = o.reference;
    opts.override_as_of = o.override_as_of;
    if (o.override_as_of && o.flags.as_of.empty()) {
        fmt::print(stderr, "error: --override-as-of needs --as-of DATE\n");
        return kUsage;
    }
    opts.include_policies = split_list(o.flags.include_policy);
    const auto report = run_tests(o.path, opts);
    const auto diags = render_all(report.diagnostics, *report.sources, o.flags.colour_stderr());
    if (!diags.empty()) std::fputs(diags.c_str(), stderr);
    if (report.diagnostics.has_errors() && report.cases.empty()) return kPolicyError;
    if (o.flags.format == "json") print_json(report);
    else print_text(report, o, o.flags.colour_stdout());
    if (report.diagnostics.has_errors()) return kPolicyError;
    if (report.cases.empty() && !o.filter.empty()) {
        fmt::print(stderr, "error: no case name contains \"{}\" (--filter)\n", o.filter);
        return kUsage;
    }
    if (report.failed() > 0) return kFailOn;
    return kOk;
}

}  // namespace

void setup_test(CLI::App& app) {
    auto o = std::make_shared<TestCommand>();
    auto* cmd = app.add_subcommand("test", "Run the *.test.yaml cases beside the policies");
    cmd->footer(
        "A test file names its policy set, a default as_of, and cases; each case has a request\n"
        "and an expectation (decision, fired, reports, errors). See docs/language-guide.md.\n"
        "Prints one line per failing case (all with --verbose), then `N passed, M failed`.\n"
        "\n"
        "Exit status: 0 all passed, 1 usage, 2 a test file or policy set is broken, 4 a case failed.\n"
        "\n"
        "Examples:\n"
        "  cordon test policies/us\n"
        "  cordon test policies/us --coverage\n"
        "  cordon test policies/us --filter loophole --verbose");
    cmd->add_option("path", o->path, "A directory searched for *.test.yaml, or one test file")->required();
    cmd->add_flag("--coverage", o->coverage, "List every rule with the cases that fired it; name rules and unless clauses never exercised");
    cmd->add_flag("-v,--verbose", o->verbose, "Print passing cases too");
    cmd->add_flag("--reference", o->reference,
                  "Decide with the reference evaluator (the plain definition of the language) instead of "
                  "the compiled program; the results must be the same");
    cmd->add_flag("--override-as-of", o->override_as_of,
                  "Decide every case as of --as-of, even those whose file or case gives `as_of` "
                  "(a request's own `time` still wins): run dated tests against a draft's future date");
    cmd->add_option("--filter", o->filter, "Run only cases whose name contains this text (case-insensitive)");
    o->flags.add_to(*cmd);
    o->passes.add_to(*cmd);
    run_with_exit_status(cmd, [o] { return run(*o); });
}

}  // namespace cordon::cli
