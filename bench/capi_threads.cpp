// Throughput and latency of the C ABI with 1 and 2 deciding threads (docs/benchmarks.md,
// "C ABI threads"). Each thread decides the example requests in a loop through
// cordon_decide_json for SECONDS; prints calls/s and p50/p99/p99.9 per thread count,
// and the 2-thread/1-thread throughput ratio, wall-clock and per CPU second (the latter
// is 2.00 when two threads never slow each other; the former needs two idle cores).
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
#include <time.h>
#include <vector>

#include "cordon.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Result {
    double per_second = 0;
    double p50 = 0, p99 = 0, p999 = 0;  // microseconds
    double per_cpu_second = 0;          // calls per second of the deciding threads' own CPU time
};

// This thread's CPU time in seconds: on a loaded machine, calls per CPU second show
// whether threads slow each other (locks, shared cache lines) apart from waiting for a core.
double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

Result run(const cordon_policy_set* set, const std::vector<std::string>& requests, unsigned threads, double seconds) {
    std::vector<std::vector<float>> latencies(threads);
    std::vector<double> cpu(threads, 0.0);
    std::vector<std::thread> pool;
    const auto stop = Clock::now() + std::chrono::duration<double>(seconds);
    for (unsigned t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            auto& lat = latencies[t];
            lat.reserve(1 << 22);
            const double cpu_begin = thread_cpu_seconds();
            for (std::size_t i = t; Clock::now() < stop; ++i) {
                const auto& r = requests[i % requests.size()];
                char* out = nullptr;
                const auto begin = Clock::now();
                cordon_decide_json(set, r.data(), r.size(), "2025-06-01", nullptr, &out);
                lat.push_back(std::chrono::duration<float, std::micro>(Clock::now() - begin).count());
                cordon_free_string(out);
            }
            cpu[t] = thread_cpu_seconds() - cpu_begin;
        });
    }
    for (auto& th : pool) th.join();
    std::vector<float> all;
    for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    auto at = [&](double q) { return static_cast<double>(all[static_cast<std::size_t>(q * (all.size() - 1))]); };
    double cpu_total = 0;
    for (double c : cpu) cpu_total += c;
    return {static_cast<double>(all.size()) / seconds, at(0.5), at(0.99), at(0.999),
            static_cast<double>(all.size()) / cpu_total};
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
        std::printf("threads=%d calls/s=%.0f calls/cpu-s=%.0f p50=%.2fus p99=%.2fus p99.9=%.2fus\n", n, r.per_second,
                    r.per_cpu_second, r.p50, r.p99, r.p999);
    std::printf("speedup=%.2f cpu_speedup=%.2f p99_ratio=%.2f\n", two.per_second / one.per_second,
                2 * two.per_cpu_second / one.per_cpu_second, two.p99 / one.p99);
    cordon_free(set);
    return 0;
}
