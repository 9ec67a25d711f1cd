// In-process benchmarks of one decision (issue 5, part 1):
//   BM_DecidePrebuilt      a request built once with RequestBuilder handles; the loop is
//                          evaluator.decide() only (shipped policy set policies/us);
//   BM_DecidePredecoded    1,000 generated requests decoded before timing; decide only;
//   native_*               the same with the rules' plans as native code (`cordon native`,
//                          built once per run with the compiler that built cordon);
//   BM_DecodeAndDecide     JSON text to decision: decode_json (padded, no copy) + options + decide;
//   BM_DecodeOnly          decode_json alone, for reference.
// The generated requests come from bench/synthetic.cpp, a byte-identical C++ port of
// bench/gen/gen_requests.mjs (seed 42), so the suite runs without Node.js.
//
//   build/cordon_bench_engine --benchmark_filter=Decide
#include <benchmark/benchmark.h>

#include <thread>

#include "bench_common.hpp"
#include "cordon/engine/builder.hpp"
#include "synthetic.hpp"

namespace cordon::bench {
namespace {

constexpr int kRepetitions = 9;
constexpr std::size_t kLines = 1000;

const std::vector<std::string>& generated_lines() {
    static const std::vector<std::string> lines = generate_requests(kLines, 42);
    return lines;
}

// ------------------------------------------------------------------ pre-built requests

enum class Variant { CnUniversity, DeCompany };

// Builds the request once. Returns false (with a message) when building fails.
bool build_request(RequestBuilder& b, Request& request, Variant v, std::string& error) {
    try {
        b.begin(request);
        b.set_id(v == Variant::CnUniversity ? "bench-cn-university" : "bench-de-company");
        b.set_time(bench_day());
        b.set(b.handle("provider.name"), "example-cloud");
        b.set(b.handle("provider.country"), "US");
        const auto inter = b.list("intermediaries");
        const auto owners = b.list("customer.owners");
        if (v == Variant::CnUniversity) {
            // A Chinese university renting A100s (named by chip only) in Malaysia through one
            // Chinese reseller, to train a model.
            b.set(b.handle("customer.name"), "Quartz University");
            b.set(b.handle("customer.kind"), "university");
            b.set(b.handle("customer.country"), "CN");
            b.set(b.handle("customer.hq_country"), "CN");
            b.set(b.handle("customer.foreign"), true);
            b.set(b.handle("customer.identity_verified"), true);
            b.set(b.handle("customer.government_linked"), true);
            b.set(b.handle("customer.on_entity_list"), false);
            const auto o = b.add_element(owners);
            b.set(b.field(owners, "name"), o, "Ministry of Education");
            b.set(b.field(owners, "country"), o, "CN");
            b.set(b.field(owners, "share"), o, 1.0);
            const auto e = b.add_element(inter);
            b.set(b.field(inter, "name"), e, "Harbor Cloud Reseller");
            b.set(b.field(inter, "country"), e, "CN");
            b.set(b.field(inter, "role"), e, "reseller");
            b.set(b.handle("resource.service"), "gpu-instances");
            b.set(b.handle("resource.chip"), "A100");
            b.set(b.handle("resource.count"), 64);
            b.set(b.handle("resource.region_country"), "MY");
            b.set(b.handle("workload.kind"), "training");
            b.set(b.handle("workload.training_ops"), 3.2e24);
            b.set(b.handle("workload.bio_sequence"), false);
            b.set(b.handle("license.granted"), false);
        } else {
            // A German company, no intermediaries, H100s with TPP and density stated, in Germany.
            b.set(b.handle("customer.name"), "Fjord Robotics GmbH");
            b.set(b.handle("customer.kind"), "company");
            b.set(b.handle("customer.country"), "DE");
            b.set(b.handle("customer.hq_country"), "DE");
            b.set(b.handle("customer.parent_hq_country"), "DE");
            b.set(b.handle("customer.foreign"), true);
            b.set(b.handle("customer.identity_verified"), true);
            b.set(b.handle("customer.on_entity_list"), false);
            const auto o = b.add_element(owners);
            b.set(b.field(owners, "name"), o, "Fjord Holdings");
            b.set(b.field(owners, "country"), o, "DE");
            b.set(b.field(owners, "share"), o, 1.0);
            b.set(b.handle("resource.service"), "gpu-instances");
            b.set(b.handle("resource.chip"), "H100-SXM");
            b.set(b.handle("resource.count"), 256);
            b.set(b.handle("resource.tpp"), 15832);
            b.set(b.handle("resource.performance_density"), 19.4496);
            b.set(b.handle("resource.region_country"), "DE");
            b.set(b.handle("workload.kind"), "fine_tuning");
            b.set(b.handle("workload.training_ops"), 4.1e23);
            b.set(b.handle("license.granted"), false);
        }
    } catch (const std::exception& e) {
        error = e.what();
        return false;
    }
    if (!b.finish()) {
        error = b.error()->path + ": " + b.error()->message;
        return false;
    }
    return true;
}

std::string fired_label(const PolicySet& set, const Decision& d) {
    std::string s = verdict_name(d.verdict);
    for (auto rule : d.fired) s += " " + set.checked().rules[rule].id;
    if (!d.errors.empty()) s += " errors:" + std::to_string(d.errors.size());
    return s;
}

void BM_DecidePrebuilt(benchmark::State& state, Variant variant, bool native) {
    auto set = load_cached(source_path("policies/us"));
    if (!set) return state.SkipWithError("policies/us does not load");
    Session s(*set);
    if (native) {
        const NativeCode* code = native_cached(source_path("policies/us"));
        if (!code) return state.SkipWithError("native code for policies/us does not build");
        s.evaluator.set_native(code);
    }
    RequestBuilder builder(*set);
    std::string error;
    if (!build_request(builder, s.request, variant, error)) return state.SkipWithError(error.c_str());
    const EvalOptions opts = set->options(s.request, bench_day());
    for (auto _ : state) {
        s.evaluator.decide(s.request, opts, s.decision);
        benchmark::DoNotOptimize(s.decision.verdict);
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations());
    state.SetLabel(fired_label(*set, s.decision));
}
BENCHMARK_CAPTURE(BM_DecidePrebuilt, cn_university_a100, Variant::CnUniversity, false)
    ->Repetitions(kRepetitions)->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(BM_DecidePrebuilt, de_company_h100, Variant::DeCompany, false)
    ->Repetitions(kRepetitions)->ReportAggregatesOnly(true);
// The same with the rules' plans as native code (`cordon native`).
BENCHMARK_CAPTURE(BM_DecidePrebuilt, native_cn_university_a100, Variant::CnUniversity, true)
    ->Repetitions(kRepetitions)->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(BM_DecidePrebuilt, native_de_company_h100, Variant::DeCompany, true)
    ->Repetitions(kRepetitions)->ReportAggregatesOnly(true);

// ------------------------------------------------------------------ generated requests

void BM_DecidePredecoded(benchmark::State& state, const char* dir, bool native) {
    auto set = load_cached(source_path(dir));
    if (!set) return state.SkipWithError("policy set does not load");
    Session s(*set);
    if (native) {
        const NativeCode* code = native_cached(source_path(dir));
        if (!code) return state.SkipWithError("native code does not build");
        s.evaluator.set_native(code);
    }
    const auto& src = generated_lines();
    std::vector<Request> requests;
    std::vector<EvalOptions> opts;
    requests.reserve(src.size());
    for (const auto& line : src) {
        if (auto err = s.decoder.decode_json(line, s.request)) return state.SkipWithError(err->message.c_str());
        requests.push_back(s.request);
        opts.push_back(set->options(s.request, bench_day()));
    }
    std::size_t i = 0, n = requests.size();
    for (auto _ : state) {
        s.evaluator.decide(requests[i], opts[i], s.decision);
        benchmark::DoNotOptimize(s.decision.verdict);
        if (++i == n) i = 0;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_DecidePredecoded, us, "policies/us", false)->Repetitions(kRepetitions)->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(BM_DecidePredecoded, peers, "bench/peers", false)->Repetitions(kRepetitions)->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(BM_DecidePredecoded, native_us, "policies/us", true)->Repetitions(kRepetitions)->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(BM_DecidePredecoded, native_peers, "bench/peers", true)->Repetitions(kRepetitions)->ReportAggregatesOnly(true);

// JSON text to decision on 1,000 generated lines (cycling), one Session per thread.
void BM_DecodeAndDecide(benchmark::State& state, const char* dir) {
    auto set = load_cached(source_path(dir));
    if (!set) return state.SkipWithError("policy set does not load");
    static const PaddedLines padded(generated_lines());  // read-only, shared by threads
    Session s(*set);
    const std::int32_t day = bench_day();
    std::size_t i = static_cast<std::size_t>(state.thread_index()) * 97, n = padded.lines.size();
    i %= n;
    std::size_t bad = 0, deny = 0;
    for (auto _ : state) {
        if (s.decoder.decode_json(padded.lines[i], s.request, true)) {
            ++bad;
        } else {
            s.evaluator.decide(s.request, set->options(s.request, day), s.decision);
            deny += s.decision.verdict == Verdict::Deny;
        }
        if (++i == n) i = 0;
    }
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * (padded.text.size() - kJsonPadding) / n));
    if (bad) state.SkipWithError("input errors in generated requests");
    state.counters["deny_frac"] = benchmark::Counter(static_cast<double>(deny) / static_cast<double>(state.iterations()),
                                                     benchmark::Counter::kAvgThreads);
}

void BM_DecodeOnly(benchmark::State& state, const char* dir) {
    auto set = load_cached(source_path(dir));
    if (!set) return state.SkipWithError("policy set does not load");
    static const PaddedLines padded(generated_lines());
    Session s(*set);
    std::size_t i = 0, n = padded.lines.size();
    for (auto _ : state) {
        auto err = s.decoder.decode_json(padded.lines[i], s.request, true);
        benchmark::DoNotOptimize(err);
        if (++i == n) i = 0;
    }
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * (padded.text.size() - kJsonPadding) / n));
}

void threads_1_and_all(benchmark::internal::Benchmark* b) {
    b->Threads(1);
    const unsigned hw = std::thread::hardware_concurrency();
    if (hw > 1) b->Threads(static_cast<int>(hw));
}

BENCHMARK_CAPTURE(BM_DecodeAndDecide, us, "policies/us")
    ->Apply(threads_1_and_all)->UseRealTime()->Repetitions(kRepetitions)->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(BM_DecodeAndDecide, peers, "bench/peers")
    ->Apply(threads_1_and_all)->UseRealTime()->Repetitions(kRepetitions)->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(BM_DecodeOnly, us, "policies/us")->Repetitions(kRepetitions)->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(BM_DecodeOnly, peers, "bench/peers")->Repetitions(kRepetitions)->ReportAggregatesOnly(true);

}  // namespace
}  // namespace cordon::bench

BENCHMARK_MAIN();
