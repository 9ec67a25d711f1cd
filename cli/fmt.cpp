// `cordon fmt`: rewrite rule files in the canonical layout, or check / show the change.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "common.hpp"
#include "cordon/dsl/format.hpp"

namespace cordon::cli {

namespace {

namespace fs = std::filesystem;

struct FmtOptions {
    std::vector<std::string> paths;
    bool check = false;
    bool diff = false;
    std::string color = "auto";
};

/// Every file named, and every *.cordon below each directory named (sorted), once each;
/// false (with a message) for a missing path, a file that is not *.cordon, or a directory
/// without one.
bool expand(const std::vector<std::string>& paths, std::vector<std::string>& files) {
    bool ok = true;
    for (const auto& p : paths) {
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            std::vector<std::string> found;
            for (fs::recursive_directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec))
                if (it->is_regular_file(ec) && it->path().extension() == ".cordon") found.push_back(it->path().string());
            if (ec) {
                fmt::print(stderr, "error: {}: {}\n", p, ec.message());
                ok = false;
            }
            std::sort(found.begin(), found.end());
            if (found.empty() && !ec) {
                fmt::print(stderr, "error: {}: no .cordon rule files below this directory\n", p);
                ok = false;
            }
            files.insert(files.end(), found.begin(), found.end());
        } else if (fs::exists(p, ec) && fs::path(p).extension() != ".cordon") {
            // A manifest, schema, data or test file would only fail to parse as rules.
            fmt::print(stderr, "error: {}: not a rule file; cordon fmt formats .cordon files only\n", p);
            ok = false;
        } else if (fs::exists(p, ec)) {
            files.push_back(p);
        } else {
            fmt::print(stderr, "error: {}: no such file or directory\n", p);
            ok = false;
        }
    }
    std::vector<std::string> unique;
    for (auto& f : files)
        if (std::find(unique.begin(), unique.end(), f) == unique.end()) unique.push_back(f);
    files = std::move(unique);
    return ok;
}

/// Replaces the file's contents through a temporary file beside it and a rename.
bool write_file(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".cordon-fmt." + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush()) {
            std::error_code ec;
            fs::remove(tmp, ec);
            return false;
        }
    }
    std::error_code ec;
    fs::permissions(tmp, fs::status(path, ec).permissions(), ec);
    fs::rename(tmp, path, ec);
    if (ec) {
        fs::remove(tmp, ec);
        return false;
    }
    return true;
}

int run_fmt(const FmtOptions& o) {
    std::vector<std::string> files;
    const bool found_all = expand(o.paths, files);
    bool parse_failed = false, io_failed = !found_all;
    std::vector<std::string> unformatted;
    std::size_t rewritten = 0;
    for (const auto& path : files) {
        std::string text, error;
        if (!read_input(path, text, error)) {
            fmt::print(stderr, "error: {}\n", error);
            io_failed = true;
            continue;
        }
        SourceMap sources;
        const auto id = sources.add(path, text);
        Diagnostics diags;
        const auto formatted = format_source(sources, id, diags);
        if (!formatted) {
            EvalFlags flags;
            flags.color = o.color;
            const bool colour = flags.colour_stderr();
            std::fputs(render_all(diags, sources, colour).c_str(), stderr);
            parse_failed = true;
            continue;
        }
        if (*formatted == text) continue;
        unformatted.push_back(path);
        if (o.diff) std::fputs(unified_diff(text, *formatted, path, path + " (formatted)").c_str(), stdout);
        if (o.check) {
            fmt::print("not formatted: {}\n", path);
        } else if (!o.diff) {
            if (!write_file(path, *formatted)) {
                fmt::print(stderr, "error: {}: cannot write file\n", path);
                io_failed = true;
                continue;
            }
            fmt::print("formatted {}\n", path);
            ++rewritten;
        }
    }
    if (o.check && unformatted.empty() && !parse_failed && !io_failed)
        fmt::print("{} file{} already formatted\n", files.size(), files.size() == 1 ? "" : "s");
    if (parse_failed) return kPolicyError;
    if (io_failed) return kInputError;
    if (o.check && !unformatted.empty()) return kFailOn;
    return kOk;
}

}  // namespace

void setup_fmt(CLI::App& app) {
    auto o = std::make_shared<FmtOptions>();
    auto* cmd = app.add_subcommand("fmt", "Rewrite rule files in the one canonical layout, keeping every comment");
    cmd->footer(
        "A directory means every *.cordon file below it. Without flags, files whose layout\n"
        "changes are rewritten in place and listed (\"formatted FILE\").\n"
        "Exit status: 0 ok; 2 a file does not parse; 3 a path cannot be read or written, is not\n"
        "a .cordon file, or is a directory with none below it;\n"
        "4 with --check, some file is not formatted.\n"
        "\n"
        "Examples:\n"
        "  cordon fmt policies/us\n"
        "  cordon fmt --check policies/us\n"
        "  cordon fmt --diff policies/us/iaas_cip.cordon");
    cmd->add_option("paths", o->paths, "Rule files, or directories holding them")->required();
    cmd->add_flag("--check", o->check, "Write nothing; list files that are not formatted and exit 4 if any");
    cmd->add_flag("--diff", o->diff, "Write nothing; print the change as a unified diff");
    cmd->add_option("--color", o->color, "Colour of diagnostics: auto, always, never")
        ->check(CLI::IsMember({"auto", "always", "never"}));
    run_with_exit_status(cmd, [o] { return run_fmt(*o); });
}

}  // namespace cordon::cli
