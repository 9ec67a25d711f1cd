// Scaling with the number of rules (issue 5, part 1): synthetic policy sets of 10, 100,
// 1,000 and 10,000 rules (bench/synthetic.cpp) written to a temporary directory.
//   BM_Compile/N          PolicySet::load of the directory: read, parse, check, compile;
//   BM_DecideScaling/N    ns per decision on 256 pre-decoded generated requests, cycling.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <map>

#include "bench_common.hpp"
#include "synthetic.hpp"

namespace cordon::bench {
namespace {

// One temporary directory per process, holding one sub-directory per rule count; removed
// at exit.
const std::string& synthetic_dir(std::size_t rules) {
    static std::mutex mu;
    static std::string root;
    static std::map<std::size_t, std::string> dirs;
    std::lock_guard<std::mutex> lock(mu);
    if (root.empty()) {
        root = make_temp_dir();
        std::atexit([] { remove_tree(root); });
    }
    auto it = dirs.find(rules);
    if (it != dirs.end()) return it->second;
    std::string dir = root + "/rules-" + std::to_string(rules);
    write_synthetic_policy_set(dir, rules);
    return dirs[rules] = dir;
}

void BM_Compile(benchmark::State& state) {
    const auto rules = static_cast<std::size_t>(state.range(0));
    const std::string& dir = synthetic_dir(rules);
    for (auto _ : state) {
        LoadResult r = PolicySet::load(dir);
        if (!r.set) {
            std::fputs(render_all(r.diagnostics, *r.sources).c_str(), stderr);
            return state.SkipWithError("synthetic policy set does not load");
        }
        benchmark::DoNotOptimize(r.set.get());
    }
    state.counters["rules"] = static_cast<double>(rules);
}
BENCHMARK(BM_Compile)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond)
    ->Repetitions(5)->ReportAggregatesOnly(true);

void BM_DecideScaling(benchmark::State& state) {
    const auto rules = static_cast<std::size_t>(state.range(0));
    auto set = load_cached(synthetic_dir(rules));
    if (!set) return state.SkipWithError("synthetic policy set does not load");
    Session s(*set);
    constexpr std::size_t kRequests = 256;
    static const std::vector<std::string> lines = generate_requests(kRequests, 42);
    std::vector<Request> requests;
    std::vector<EvalOptions> opts;
    for (const auto& line : lines) {
        if (auto err = s.decoder.decode_json(line, s.request)) return state.SkipWithError(err->message.c_str());
        requests.push_back(s.request);
        opts.push_back(set->options(s.request, bench_day()));
    }
    // How many rules fire per request (outside the timed loop): "a request matches only a few".
    std::size_t fired = 0, errors = 0;
    for (std::size_t k = 0; k < kRequests; ++k) {
        s.evaluator.decide(requests[k], opts[k], s.decision);
        fired += s.decision.fired.size();
        errors += s.decision.errors.size();
    }
    std::size_t i = 0;
    for (auto _ : state) {
        s.evaluator.decide(requests[i], opts[i], s.decision);
        benchmark::DoNotOptimize(s.decision.verdict);
        if (++i == kRequests) i = 0;
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["rules"] = static_cast<double>(rules);
    state.counters["fired_per_req"] = static_cast<double>(fired) / kRequests;
    state.counters["errors_per_req"] = static_cast<double>(errors) / kRequests;
}
BENCHMARK(BM_DecideScaling)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)->Repetitions(9)->ReportAggregatesOnly(true);

}  // namespace
}  // namespace cordon::bench
