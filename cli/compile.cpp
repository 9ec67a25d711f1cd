// `cordon compile`: loads and compiles a policy set; --print shows the compiled program.
#include <fmt/format.h>

#include "common.hpp"
#include "cordon/engine/print_program.hpp"

namespace cordon::cli {

namespace {

struct CompileCommand {
    std::string policy_dir;
    bool print = false;
    bool colour = false;
    PassFlags passes;
};

int run(const CompileCommand& o) {
    CompileOptions options;
    if (!o.passes.resolve(options)) return kUsage;
    auto set = load_or_report(o.policy_dir, o.colour, options);
    if (!set) return kPolicyError;
    const std::string text = print_program(*set);
    // Without --print, the summary line only: the set compiles, and how big it is.
    std::fputs(o.print ? text.c_str() : text.substr(0, text.find('\n') + 1).c_str(), stdout);
    return kOk;
}

}  // namespace

void setup_compile(CLI::App& app) {
    auto o = std::make_shared<CompileCommand>();
    auto* cmd = app.add_subcommand("compile", "Compile a policy set; --print shows the compiled program");
    cmd->footer(
        "Without --print, one line: the program's size. With --print, the program as the\n"
        "evaluator runs it: the lets (guards and key tables marked), every rule by name with its\n"
        "plan (`pin` conjuncts the index proves, then `when` conjuncts in the order they run,\n"
        "`not` for a negated one), its `unless`, twins and family, the index keys, then every\n"
        "node (#number, operation, type, operands, children). docs/engine.md explains the terms.\n"
        "\n"
        "Examples:\n"
        "  cordon compile -p policies/us\n"
        "  cordon compile -p policies/us --print | less\n"
        "  diff <(cordon compile -p policies/us --print --passes none) <(cordon compile -p policies/us --print)");
    add_policy_option(cmd, o->policy_dir);
    cmd->add_flag("--print", o->print, "Print the compiled program");
    o->passes.add_to(*cmd);
    run_with_exit_status(cmd, [o] { return run(*o); });
}

}  // namespace cordon::cli
