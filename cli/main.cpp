// cordon: the command line. A thin front: every command is a file with a setup function.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <iostream>

#include "common.hpp"

namespace {

/// Exit status when the output could not be written (sysexits EX_IOERR).
constexpr int kWriteError = 74;

/// Flushes stdout; a failed write (a full disk, `> /dev/full`, a closed pipe) must not exit 0
/// as if the decisions had been delivered. Returns `rc`, or kWriteError with a message.
int finish(int rc) {
    std::cout.flush();
    errno = 0;
    const bool flush_failed = std::fflush(stdout) != 0;
    if (flush_failed || std::ferror(stdout) || !std::cout) {
        const int err = errno;
        fmt::print(stderr, "cordon: error: cannot write the output{}{}\n", err != 0 ? ": " : "",
                   err != 0 ? std::strerror(err) : "");
        return kWriteError;
    }
    return rc;
}

int run(int argc, char** argv) {
    CLI::App app{
        "cordon: policy-as-code rules for remote access to controlled AI compute.\n"
        "\n"
        "Examples:\n"
        "  cordon check -p policies/us examples/requests/shenzhen_university.json\n"
        "  cordon check -p policies/us --include proposed,bill --format json requests.jsonl\n"
        "  cordon lint policies/us\n"
        "  cordon test policies/us --coverage\n"
        "  cordon explain -p policies/us examples/requests/shenzhen_university.json\n"
        "  cordon compile -p policies/us --print\n"
        "  cordon timeline -p policies/us --include proposed,bill,rescinded request.json\n"
        "  cordon fmt --check policies/us\n"
        "  cordon native -p policies/us -o us.so && cordon check -p policies/us --native us.so requests.jsonl\n"
        "\n"
        "Each command has --help with examples; docs/commands/ has a page for each.\n"};
    app.name("cordon");
    app.set_version_flag("--version", "cordon 0.1.0");
    app.require_subcommand(1);
    cordon::cli::setup_check(app);
    cordon::cli::setup_lint(app);
    cordon::cli::setup_test(app);
    cordon::cli::setup_fmt(app);
    cordon::cli::setup_explain(app);
    cordon::cli::setup_compile(app);
    cordon::cli::setup_timeline(app);
    cordon::cli::setup_bench(app);
    cordon::cli::setup_screen(app);
    cordon::cli::setup_native(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::Success& e) {
        return app.exit(e);
    } catch (const CLI::RuntimeError& e) {
        return e.get_exit_code();
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return cordon::cli::kUsage;
    } catch (const std::exception& e) {
        fmt::print(stderr, "cordon: internal error: {}\n", e.what());
        return 70;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return finish(run(argc, argv)); }
