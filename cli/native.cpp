// `cordon native`: compile a policy set's rule plans to machine code (a shared object
// that `check --native` and `bench --native` run in place of the tree walk).
#include <cstdlib>
#include <fmt/format.h>

#include "common.hpp"

namespace cordon::cli {

namespace {

struct NativeOptions {
    std::string policy_dir;
    std::string output;  // the .so to write
    std::string cxx;     // empty: $CXX, else the compiler cordon was built with
    PassFlags passes;    // --passes, --no-pass (hidden): as `check` will be given them
};

// --cxx, else $CXX, else the compiler CMake built cordon with.
std::string compiler_for(const NativeOptions& o) {
    if (!o.cxx.empty()) return o.cxx;
    if (const char* env = std::getenv("CXX"); env && *env) return env;
    return CORDON_NATIVE_CXX;
}

int run_native(const NativeOptions& o) {
    CompileOptions passes;
    if (!o.passes.resolve(passes)) return kUsage;
    auto set = load_or_report(o.policy_dir, EvalFlags{}.colour_stderr(), passes);
    if (!set) return kPolicyError;
    std::string error;
    if (!NativeCode::build(set->program(), o.output, compiler_for(o), error)) {
        while (!error.empty() && error.back() == '\n') error.pop_back();  // the compiler's output ends in one
        fmt::print(stderr, "error: native: {}\n", error);
        fmt::print(stderr, "{}: native code not written\n", o.output);
        return kInputError;
    }
    // Load what was written, as `check --native` will: a file that does not load is not output.
    if (!NativeCode::load(o.output, set->program(), error)) {
        fmt::print(stderr, "error: native: the compiled object does not load: {}\n", error);
        return kInputError;
    }
    fmt::print("native: wrote {} ({} rules, policy set {} {})\n", o.output, set->checked().rules.size(), set->name(),
               set->short_digest());
    return kOk;
}

}  // namespace

void setup_native(CLI::App& app) {
    auto o = std::make_shared<NativeOptions>();
    auto* cmd = app.add_subcommand("native", "Compile a policy set's rules to machine code for check/bench --native");
    cmd->footer(
        "Translates every rule's plan (its `when`, `unless` and shared lets) to C++, compiles it\n"
        "with the system's C++ compiler into a shared object OUT.so, and checks that it loads.\n"
        "`cordon check --native OUT.so` and `cordon bench --native OUT.so` then run the rules as\n"
        "machine code instead of walking their trees: the same decisions, typically 1.5-2.5x\n"
        "faster to decide. Decoding JSON and writing decisions are unchanged, so a whole\n"
        "`check` of JSON requests gains less (3-15% on bench/gen's requests).\n"
        "The generated source is kept next to it as OUT.so.cpp, and the digest (SHA-256) of\n"
        "OUT.so with the policy set's fingerprint as OUT.so.sha256.\n"
        "\n"
        "OUT.so is tied to the policy set and the cordon build it was made from: made from\n"
        "other rules, data or schema, or by a cordon that generates other code, it is refused\n"
        "when loaded (exit 3), never run. Its bytes are checked against OUT.so.sha256 before\n"
        "it is loaded, so a changed or truncated object (or one without OUT.so.sha256) is\n"
        "refused before any of its code runs. Rebuild it whenever the policy set or cordon changes.\n"
        "\n"
        "Needs a C++17 compiler where it runs: --cxx, else $CXX, else the compiler cordon was\n"
        "built with (" CORDON_NATIVE_CXX "). On Debian: apt-get install build-essential.\n"
        "\n"
        "Exit status: 0 written and loaded, 1 usage, 2 policy error, 3 the compiler failed or\n"
        "the object cannot be written or loaded.\n"
        "\n"
        "Examples:\n"
        "  cordon native -p policies/us -o us.so\n"
        "  cordon check -p policies/us --native us.so requests.jsonl\n"
        "  cordon native -p policies/us -o /tmp/us.so --cxx clang++");
    add_policy_option(cmd, o->policy_dir);
    cmd->add_option("-o,--output", o->output, "The shared object to write (OUT.so; OUT.so.cpp is written beside it)")
        ->required();
    cmd->add_option("--cxx", o->cxx, "C++ compiler to run (default: $CXX, else the one cordon was built with)");
    o->passes.add_to(*cmd);
    run_with_exit_status(cmd, [o] { return run_native(*o); });
}

}  // namespace cordon::cli
