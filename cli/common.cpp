// The command line's shared options and helpers.
#include "common.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

#include "cordon/dsl/limits.hpp"
#include "cordon/dsl/parse.hpp"
#include "cordon/engine/json_text.hpp"

namespace cordon::cli {

void EvalFlags::add_to(CLI::App& app, bool with_format, bool with_as_of, bool with_policies) {
    if (with_as_of)
        as_of_option = app.add_option("--as-of", as_of, "Evaluate as of this day (YYYY-MM-DD); a request's `time` wins. Default: today");
    // One string, split by resolve(): a vector option would swallow the request files after it.
    app.add_option("--include", include,
                   "Also enforce rules of these statuses: proposed, bill, draft, rescinded (comma-separated)")
        ->multi_option_policy(CLI::MultiOptionPolicy::Join)
        ->delimiter(',');
    if (with_policies)
        app.add_option("--include-policy", include_policy,
                   "Also enforce these policies (by name, comma-separated or repeated), whatever their status: "
                   "try one draft without switching on every other")
        ->multi_option_policy(CLI::MultiOptionPolicy::Join)
        ->delimiter(',');
    if (with_format)
        app.add_option("--format", format, "Output: text (for people) or json (for tools)")
            ->check(CLI::IsMember({"text", "json"}));
    app.add_option("--color", color, "Colour: auto (terminals only), always, never")
        ->check(CLI::IsMember({"auto", "always", "never"}));
}

bool EvalFlags::resolve(std::int32_t& day, std::vector<Status>& statuses) const {
    if (as_of_option != nullptr && as_of_option->count() > 0 && as_of.empty()) {
        fmt::print(stderr, "error: --as-of: an empty value is not a date (YYYY-MM-DD); leave the option out for today\n");
        return false;
    }
    if (as_of.empty()) {
        day = today();
    } else if (auto d = parse_date(as_of)) {
        day = *d;
    } else {
        fmt::print(stderr, "error: --as-of: \"{}\" is not a date (YYYY-MM-DD)\n", as_of);
        return false;
    }
    for (const auto& s : split_list(include)) {
        auto st = parse_status(s);
        if (!st) {
            fmt::print(stderr, "error: --include: unknown status \"{}\" (in_force, proposed, rescinded, bill, draft)\n", s);
            return false;
        }
        statuses.push_back(*st);
    }
    return true;
}

void EvalFlags::add_request_time_to(CLI::App& app) {
    if (as_of_option)
        as_of_option->description("Evaluate as of this day (YYYY-MM-DD); a request's `time` wins unless "
                                  "--request-time says otherwise. Default: today");
    app.add_option("--request-time", request_time,
                   "A request's own `time`: honour (decide as of it; for replaying logs), refuse (deny a request "
                   "that gives one, fail closed) or ignore (decide as of --as-of or today). Default: honour")
        ->check(CLI::IsMember({"honour", "honor", "refuse", "ignore"}));
    app.add_option("--time-window", time_window,
                   "An honoured `time` must fall in FROM..TO (dates; either end may be left out) or within DAYS "
                   "of --as-of or today; outside, the request is denied (fail closed)");
}

bool EvalFlags::resolve(DayPolicy& day, std::vector<Status>& statuses) const {
    if (!resolve(day.as_of, statuses)) return false;
    day.source = as_of.empty() ? TimeSource::Clock : TimeSource::Option;
    day.request_time = parse_request_time(request_time).value_or(RequestTime::Honour);  // (checked by CLI11)
    if (!time_window.empty()) {
        std::string error;
        auto window = TimeWindow::parse(time_window, error);
        if (!window) {
            fmt::print(stderr, "error: --time-window: {}\n", error);
            return false;
        }
        day.window = *window;
    }
    return true;
}

std::vector<std::string> split_list(const std::string& value) {
    std::vector<std::string> names;
    std::string part;
    for (const char c : value + ",") {
        if (c == ',' || c == '\n') {
            if (!part.empty()) names.push_back(part);
            part.clear();
        } else if (c != ' ') {
            part += c;
        }
    }
    return names;
}

bool EvalFlags::resolve_policies(const PolicySet& set, std::vector<std::uint32_t>& policies) const {
    for (const auto& part : split_list(include_policy)) {
        const int p = set.policy_index(part);
        if (p < 0) {
            std::vector<std::string> names;
            for (const auto& pol : set.checked().policies) names.push_back(pol.name);
            const auto near = nearest_name(part, names);
            fmt::print(stderr, "error: --include-policy: the policy set has no policy \"{}\"{}\n", part,
                       near.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", near));
            return false;
        }
        policies.push_back(static_cast<std::uint32_t>(p));
    }
    std::sort(policies.begin(), policies.end());
    policies.erase(std::unique(policies.begin(), policies.end()), policies.end());
    return true;
}

static bool colour_for(int fd, const std::string& mode) {
    if (mode == "always") return true;
    if (mode == "never") return false;
    if (std::getenv("NO_COLOR")) return false;
    const char* term = std::getenv("TERM");
    if (term && std::string(term) == "dumb") return false;
    return isatty(fd) != 0;
}

bool EvalFlags::colour_stdout() const { return colour_for(STDOUT_FILENO, color); }
bool EvalFlags::colour_stderr() const { return colour_for(STDERR_FILENO, color); }

void PassFlags::add_to(CLI::App& app) {
    // (Group "": hidden from --help. For people bisecting the compiler, not for daily use.)
    app.add_option("--passes", passes, "Compile with only these passes (comma-separated; all, none)")->group("");
    app.add_option("--no-pass", no_pass, "Compile without these passes (comma-separated)")->group("");
}

bool PassFlags::resolve(CompileOptions& out) const {
    out = CompileOptions{};
    if (!passes.empty()) {
        std::string error;
        auto only = CompileOptions::parse(passes, &error);
        if (!only) {
            fmt::print(stderr, "error: --passes: {}\n", error);
            return false;
        }
        out = *only;
    }
    if (auto error = out.set(no_pass, false)) {
        fmt::print(stderr, "error: --no-pass: {}\n", *error);
        return false;
    }
    return true;
}

std::string policy_set_path(const std::string& dir) {
    namespace fs = std::filesystem;
    auto normal = fs::path(dir).lexically_normal();
    if (normal.filename().empty()) normal = normal.parent_path();  // "a/b/" names "a/b"
    const auto name = normal.filename();
    if (dir.empty() || (!name.empty() && name != "." && name != "..")) return dir;
    std::error_code ec;
    auto full = fs::absolute(normal, ec).lexically_normal();
    if (ec) return dir;
    if (full.filename().empty() && full.has_parent_path() && full != full.root_path()) full = full.parent_path();
    return full.string();
}

std::shared_ptr<const PolicySet> load_or_report(const std::string& dir_arg, bool colour, const CompileOptions& passes) {
    const auto dir = policy_set_path(dir_arg);
    auto result = PolicySet::load(dir, passes);
    if (result.set) return result.set;  // warnings are for `cordon lint`, not every decision
    const auto text = render_all(result.diagnostics, *result.sources, colour);
    if (!text.empty()) std::fputs(text.c_str(), stderr);
    {
        const auto n = result.diagnostics.error_count();
        fmt::print(stderr, "{}: policy set not loaded: {} error{}\n", dir, n, n == 1 ? "" : "s");
    }
    return result.set;
}

std::unique_ptr<NativeCode> load_native_or_report(const std::string& path, const PolicySet& set) {
    std::string error;
    auto code = NativeCode::load(path, set.program(), error);
    if (!code) fmt::print(stderr, "error: --native: {}\n", error);
    return code;
}

std::string input_problem(const std::string& path) {
    if (path == "-") return {};
    std::error_code ec;
    const auto st = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(st)) return fmt::format("{}: cannot open file", path);
    if (std::filesystem::is_directory(st)) return fmt::format("{}: is a directory, not a request file", path);
    if (!std::filesystem::is_regular_file(st))
        return fmt::format("{}: not a regular file (a FIFO, socket or device); not read", path);
    return {};
}

bool read_input(const std::string& path, std::string& out, std::string& error, std::size_t bound) {
    if (error = input_problem(path); !error.empty()) return false;
    // Read at most one byte past the bound: endless input (`< /dev/zero`) is refused.
    const bool request = bound == 0;
    if (request) bound = Limits{}.request_bytes;
    if (path == "-") {
        out.clear();
        char buf[65536];
        while (out.size() <= bound) {
            const auto n = std::fread(buf, 1, sizeof buf, stdin);
            if (n == 0) break;
            out.append(buf, n);
        }
        if (std::ferror(stdin)) {
            // A directory given as `< dir` reads as an error (EISDIR), not as an empty request.
            error = fmt::format("-: standard input cannot be read: {}", std::strerror(errno));
            out.clear();
            return false;
        }
        if (out.size() > bound) {
            out.clear();
            error = fmt::format("-: standard input is more than {} bytes ({}); not read", bound,
                                request ? "the request limit" : "the limit of this command");
            return false;
        }
        return true;
    }
    std::error_code ec;
    if (const auto size = std::filesystem::file_size(path, ec); !ec && size > bound) {
        error = request ? fmt::format("{}: request is {} bytes, more than the limit of {}; not read", path, size, bound)
                        : fmt::format("{}: {} bytes, more than the limit of {} for this command; not read", path, size, bound);
        return false;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = fmt::format("{}: cannot open file", path);
        return false;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    out = ss.str();
    return true;
}

bool read_request(const std::string& path, Session& session) {
    std::string text, error;
    if (!read_input(path, text, error)) {
        fmt::print(stderr, "error: {}\n", error);
        return false;
    }
    const auto ends_with = [&](std::string_view suffix) {
        return path.size() >= suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    const auto first = text.find_first_not_of(" \t\r\n");
    const bool is_yaml = ends_with(".yaml") || ends_with(".yml") ||
                         (path == "-" && first != std::string::npos && text[first] != '{');
    auto err = is_yaml ? session.decoder.decode_yaml(text, session.request)
                       : session.decoder.decode_json(text, session.request);
    if (err) {
        fmt::print(stderr, "error: {}\n", printable(fmt::format("{}: {}{}{}", path == "-" ? "<stdin>" : path, err->path,
                                                                 err->path.empty() ? "" : ": ", err->message)));
        return false;
    }
    return true;
}

bool day_or_report(const PolicySet& set, const Session& session, const std::string& path, const DayPolicy& day,
                   EvalOptions& out, const std::vector<Status>& include, const std::vector<std::uint32_t>* policies) {
    const auto refused = set.options(session.request, day, out, include, policies);
    if (!refused) return true;
    fmt::print(stderr, "error: {}\n",
               printable(fmt::format("{}: {}: {}", path == "-" ? "<stdin>" : path, refused->path, refused->message)));
    return false;
}

}  // namespace cordon::cli
