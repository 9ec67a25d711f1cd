// cordon: the command line. A thin front: every command is a file with a setup function.
#include <fmt/format.h>

#include "common.hpp"

int main(int argc, char** argv) {
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
