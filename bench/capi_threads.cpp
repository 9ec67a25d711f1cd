// Throughput and latency of the C ABI with 1 and 2 deciding threads (docs/benchmarks.md,
// "C ABI threads"). Each thread decides the example requests in a loop through
// cordon_decide_json for SECONDS; prints calls/s and p50/p99/p99.9 per thread count,
// and the 2-thread/1-thread throughput ratio.
//
//     cordon_capi_threads POLICY_DIR SECONDS REQUEST.json...
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cordon.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Result {
    double per_second = 0;
    double p50 = 0, p99 = 0, p999 = 0;  // microseconds
};

Result run(const cordon_policy_set* set, const std::vector<std::string>& requests, unsigned threads, double seconds) {
    std::vector<std::vector<float>> latencies(threads);
    std::vector<std::thread> pool;
    const auto stop = Clock::now() + std::chrono::duration<double>(seconds);
    for (unsigned t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            auto& lat = latencies[t];
            lat.reserve(1 << 22);
            for (std::size_t i = t; Clock::now() < stop; ++i) {
                const auto& r = requests[i % requests.size()];
                char* out = nullptr;
                const auto begin = Clock::now();
                cordon_decide_json(set, r.data(), r.size(), "2025-06-01", nullptr, &out);
                lat.push_back(std::chrono::duration<float, std::micro>(Clock::now() - begin).count());
                cordon_free_string(out);
            }
        });
    }
    for (auto& th : pool) th.join();
    std::vector<float> all;
    for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    auto at = [&](double q) { return static_cast<double>(all[static_cast<std::size_t>(q * (all.size() - 1))]); };
    return {static_cast<double>(all.size()) / seconds, at(0.5), at(0.99), at(0.999)};
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: cordon_capi_threads POLICY_DIR SECONDS REQUEST.json...\n");
        return 2;
    }
    char* err = nullptr;
    cordon_policy_set* set = cordon_load(argv[1], &err);
    if (!set) {
        std::fputs(err ? err : "not loaded\n", stderr);
        return 2;
    }
    const double seconds = std::atof(argv[2]);
    std::vector<std::string> requests;
    for (int i = 3; i < argc; ++i) {
        std::ifstream in(argv[i]);
        std::stringstream text;
        text << in.rdbuf();
        requests.push_back(text.str());
    }
    run(set, requests, 2, 0.2);  // warm both threads' workers
    const Result one = run(set, requests, 1, seconds);
    const Result two = run(set, requests, 2, seconds);
    for (const auto& [n, r] : {std::pair{1, one}, std::pair{2, two}})
        std::printf("threads=%d calls/s=%.0f p50=%.2fus p99=%.2fus p99.9=%.2fus\n", n, r.per_second, r.p50, r.p99, r.p999);
    std::printf("speedup=%.2f p99_ratio=%.2f\n", two.per_second / one.per_second, two.p99 / one.p99);
    cordon_free(set);
    return 0;
}
