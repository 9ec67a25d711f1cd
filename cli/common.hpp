// Shared pieces of the command line: options every command takes, loading a policy
// set with printed diagnostics, terminal colour, and exit statuses.
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <fmt/format.h>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cordon/engine/native.hpp"
#include "cordon/engine/policy_set.hpp"

namespace cordon::cli {

/// Exit statuses of INTERFACES.md.
enum Exit : int { kOk = 0, kUsage = 1, kPolicyError = 2, kInputError = 3, kFailOn = 4 };

/// Options shared by commands that evaluate: the day, extra statuses, output format.
struct EvalFlags {
    std::string as_of;                 // YYYY-MM-DD; empty = today
    std::string include;               // statuses to enforce besides the manifest's, comma-separated
    std::string include_policy;        // policies to enforce whatever their status, comma-separated
    std::string format = "text";       // text | json
    std::string color = "auto";        // auto | always | never
    std::string request_time = "honour";  // --request-time honour | refuse | ignore
    std::string time_window;           // --time-window FROM..TO or DAYS; empty = none
    CLI::Option* as_of_option = nullptr;  // to tell `--as-of ""` from no --as-of

    void add_to(CLI::App& app, bool with_format = true, bool with_as_of = true, bool with_policies = true);
    /// `--request-time` and `--time-window`, for the commands that decide requests as
    /// they come (check, explain, bench).
    void add_request_time_to(CLI::App& app);
    /// Parses as_of and include; prints an error and returns false on bad values.
    bool resolve(std::int32_t& day, std::vector<Status>& statuses) const;
    /// The same, with the rule for a request's own `time` (--request-time, --time-window).
    bool resolve(DayPolicy& day, std::vector<Status>& statuses) const;
    /// Resolves --include-policy names against `set` into sorted policy indices; prints an
    /// error naming the unknown policy (with the nearest name) and returns false.
    bool resolve_policies(const PolicySet& set, std::vector<std::uint32_t>& policies) const;
    bool colour_stdout() const;
    bool colour_stderr() const;
};

/// `--passes LIST` and `--no-pass LIST`: the compiler's passes, for bisecting a wrong
/// decision to one pass (hidden from --help; docs/engine.md, "Passes").
struct PassFlags {
    std::string passes;   // only these on ("all", "none"); empty: all
    std::string no_pass;  // then these off

    void add_to(CLI::App& app);
    /// The passes asked for; prints an error naming the flag and returns false on an unknown pass.
    bool resolve(CompileOptions& out) const;
};

/// The names of a comma-separated option value ("a, b,,c" -> a, b, c; spaces dropped).
std::vector<std::string> split_list(const std::string& value);

/// Loads a policy set, printing diagnostics (errors and warnings) to stderr.
/// How messages name a policy-set directory: as given, except that a path with no name of
/// its own (`.`, `..`, `../..`) becomes its full path, so `cordon lint .` says which set.
std::string policy_set_path(const std::string& dir);

std::shared_ptr<const PolicySet> load_or_report(const std::string& dir, bool colour, const CompileOptions& passes = {});

/// `--native FILE.so`, for the commands that decide many requests (check, bench).
inline void add_native_option(CLI::App* cmd, std::string& path) {
    cmd->add_option("--native", path,
                    "Run the rules as native code built by `cordon native` for this very policy set "
                    "(same decisions, faster); a stale or foreign file is refused");
}

/// Loads the native code at `path` for `set` (see `cordon native`). On failure prints the
/// error naming the file and the reason, and returns null: never fall back to the interpreter.
std::unique_ptr<NativeCode> load_native_or_report(const std::string& path, const PolicySet& set);

/// The most threads `--threads` accepts; a thread the system cannot start is done on the caller's.
inline constexpr unsigned kMaxThreads = 1024;

/// The check of `--threads N`: a whole number from 0 (all cores) to kMaxThreads, with a
/// message that says so ("`abc` is not a number of threads", not "not in range").
inline CLI::Validator threads_validator() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            const bool digits = !text.empty() && text.size() <= 9 &&
                                text.find_first_not_of("0123456789") == std::string::npos;
            if (digits && std::stoul(text) <= kMaxThreads) return {};
            return fmt::format("`{}` is not a number of threads: give a whole number from 0 (all cores) to {}",
                               text.size() > 20 ? text.substr(0, 20) + "..." : text, kMaxThreads);
        },
        "0.." + std::to_string(kMaxThreads));
}

/// Why `path` cannot be read as an input ("-" = stdin): "" when it is a regular file, else a
/// message naming it (missing, a directory, a FIFO or device, which could block or never end).
std::string input_problem(const std::string& path);

/// Reads a whole file ("-" = stdin) of at most `bound` bytes (default: the request limit).
/// Returns false with `error` set on failure, or when the input is longer (not read).
bool read_input(const std::string& path, std::string& out, std::string& error, std::size_t bound = 0);

/// Reads and decodes one request file (.json, .yaml/.yml, or - for stdin, JSON or YAML
/// by its first character) into `session.request`. On failure prints the error naming
/// the file and the attribute path, and returns false.
bool read_request(const std::string& path, Session& session);

/// The options to decide `session.request` (read from `path`) under `day`; when `day`
/// refuses the request's own `time`, prints the error naming the file and `time`, and
/// returns false (an input error: nothing is decided, exit 3).
bool day_or_report(const PolicySet& set, const Session& session, const std::string& path, const DayPolicy& day,
                   EvalOptions& out, const std::vector<Status>& include,
                   const std::vector<std::uint32_t>* policies = nullptr);

/// `-p, --policy DIR`, required, for the commands that decide.
inline void add_policy_option(CLI::App* cmd, std::string& dir) {
    cmd->add_option("-p,--policy", dir, "Policy-set directory (holds cordon.yaml)")->required();
}
/// The one request a command explains: a .json or .yaml file, or - for stdin.
inline void add_request_argument(CLI::App* cmd, std::string& request) {
    cmd->add_option("request", request, "A .json or .yaml request, or - for stdin")->required();
}

/// Makes `run`'s result the command's exit status (CLI11 reports it through an exception).
template <typename Run>
void run_with_exit_status(CLI::App* cmd, Run run) {
    cmd->callback([run] {
        if (const int rc = run(); rc != 0) throw CLI::RuntimeError(rc);
    });
}

/// Registers each command; each lives in its own file.
void setup_check(CLI::App& app);
void setup_lint(CLI::App& app);
void setup_test(CLI::App& app);
void setup_fmt(CLI::App& app);
void setup_explain(CLI::App& app);
void setup_compile(CLI::App& app);
void setup_timeline(CLI::App& app);
void setup_bench(CLI::App& app);
void setup_screen(CLI::App& app);
void setup_native(CLI::App& app);

}  // namespace cordon::cli
