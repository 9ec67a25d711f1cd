// cordon_difftest: the differential test's long mode. Generates policy sets and requests
// for --seconds, decides each with every engine, and writes every disagreement to --out.
//   cordon_difftest --seconds 3600 --seed 7 --out difftest-out [--native-sets 40]
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>

#include "differential.hpp"
#include "policy_gen.hpp"

int main(int argc, char** argv) {
    cordon::gen::DiffConfig c;
    c.seconds = 600;
    c.native_sets = 20;
    c.native_every = 25;
    c.max_reports = 200;
    c.progress = true;
    c.show_input_errors = 20;
    CLI::App app{"cordon_difftest: random policy sets decided by every engine; disagreements are written to --out"};
    app.add_option("--seconds", c.seconds, "how long to run (seconds)");
    app.add_option("--seed", c.seed, "the run's seed (set i's seed is derived from it and printed)");
    app.add_option("--out", c.out_dir, "directory for disagreements and load failures")->required();
    app.add_option("--requests", c.requests_per_set, "requests per set");
    app.add_option("--sets", c.max_sets, "stop after this many sets (0: by time only)");
    app.add_option("--native-sets", c.native_sets, "sets to decide with native code too (compiles C++: seconds each)");
    app.add_option("--native-every", c.native_every, "build native code for every N-th set");
    app.add_option("--pass-configs", c.pass_configs, "compiler-pass configurations per set (-1: all)");
    app.add_option("--show-input-errors", c.show_input_errors, "log this many requests the decoder refused");
    std::int64_t write_set = -1;
    app.add_option("--write-set", write_set, "write the files of set N of the run into --out and exit");
    CLI11_PARSE(app, argc, argv);
    if (write_set >= 0) {
        const auto g = cordon::gen::generate_set(cordon::gen::set_seed(c.seed, static_cast<std::uint64_t>(write_set)));
        cordon::gen::write_files(c.out_dir, g.files());
        std::mt19937_64 rng(cordon::gen::request_seed(g.seed));
        std::ofstream requests(c.out_dir + "/requests.jsonl");
        for (int i = 0; i < c.requests_per_set; ++i) requests << cordon::gen::generate_scenario(g, rng).request << "\n";
        std::cout << "set " << write_set << " (seed " << g.seed << ") written to " << c.out_dir << std::endl;
        return 0;
    }
    const auto stats = cordon::gen::run_differential(c, std::cerr);
    std::cout << stats.summary() << std::endl;
    return stats.mismatches || stats.load_failures || stats.crashes || stats.input_errors ? 1 : 0;
}
