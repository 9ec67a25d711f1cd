// cordon_bench_gen: the benchmarks' generators from the command line.
//   cordon_bench_gen requests N [SEED]     N generated requests, JSONL on stdout
//                                          (the same bytes as bench/gen/gen_requests.mjs)
//   cordon_bench_gen rules N DIR [SEED]    a synthetic policy set of N rules in DIR
#include <cstdio>
#include <cstdlib>
#include <string>

#include "synthetic.hpp"

int main(int argc, char** argv) {
    const std::string cmd = argc > 1 ? argv[1] : "";
    if (cmd == "requests" && argc >= 3) {
        const auto n = std::strtoull(argv[2], nullptr, 10);
        const auto seed = argc > 3 ? static_cast<std::uint32_t>(std::strtoul(argv[3], nullptr, 10)) : 42u;
        for (const auto& line : cordon::bench::generate_requests(n, seed)) {
            std::fwrite(line.data(), 1, line.size(), stdout);
            std::fputc('\n', stdout);
        }
        return 0;
    }
    if (cmd == "rules" && argc >= 4) {
        const auto n = std::strtoull(argv[2], nullptr, 10);
        const auto seed = argc > 4 ? static_cast<std::uint32_t>(std::strtoul(argv[4], nullptr, 10)) : 7u;
        cordon::bench::write_synthetic_policy_set(argv[3], n, seed);
        return 0;
    }
    std::fputs("usage: cordon_bench_gen requests N [SEED] | rules N DIR [SEED]\n", stderr);
    return 1;
}
