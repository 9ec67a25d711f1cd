// `cordon bench`: decisions per second (one thread and all cores) and latency
// percentiles on a JSONL file, decoding included; peak resident memory.
#include <algorithm>
#include <chrono>
#include <fmt/format.h>
#include <sys/resource.h>

#include "common.hpp"
#include "cordon/engine/json_text.hpp"
#include "cordon/engine/batch.hpp"

namespace cordon::cli {

namespace {

struct BenchCommand {
    std::string policy_dir;
    std::string requests;
    unsigned threads = 0;
    int repeat = 5;
    bool with_output = false;
    std::string json_out;
    std::string native;  // --native FILE.so
    EvalFlags flags;
};

using Clock = std::chrono::steady_clock;

struct Lines {
    std::string text;  // padded
    std::vector<std::pair<std::size_t, std::size_t>> spans;
};

bool load_lines(const std::string& path, Lines& lines) {
    std::string error;
    // The whole file is held in memory and run `--repeat` times: up to 2 GiB of requests
    // (bench/run's largest file, 2,000,000 requests, is about 1.4 GB); each line is still
    // held to the request limit by the decoder.
    constexpr std::size_t kBenchFileBytes = std::size_t{2} << 30;
    if (!read_input(path, lines.text, error, kBenchFileBytes)) {
        fmt::print(stderr, "error: {}\n", error);
        return false;
    }
    const std::size_t size = lines.text.size();
    lines.text.append(kJsonPadding, '\0');
    for (std::size_t at = 0; at < size;) {
        std::size_t end = lines.text.find('\n', at);
        if (end == std::string::npos || end > size) end = size;
        if (end > at) lines.spans.emplace_back(at, end - at);
        at = end + 1;
    }
    return true;
}

// Decides lines [begin, end); returns the number decided (input errors are skipped and counted apart).
std::size_t run_range(const PolicySet& set, Session& s, const Lines& lines, std::size_t begin, std::size_t end,
                      const DayPolicy& day, const std::vector<Status>& include, bool with_output, std::string& out,
                      std::size_t& bad, double* latencies_ns) {
    std::size_t n = 0;
    for (std::size_t i = begin; i < end; ++i) {
        const auto t0 = latencies_ns ? Clock::now() : Clock::time_point{};
        const auto [at, len] = lines.spans[i];
        EvalOptions opts;
        if (s.decoder.decode_json(std::string_view(lines.text.data() + at, len), s.request, true) ||
            set.options(s.request, day, opts, include)) {
            ++bad;
            continue;
        }
        s.evaluator.decide(s.request, opts, s.decision);
        if (with_output) {
            out.clear();
            set.write_json(s.evaluator, s.request, s.decision, out);
        }
        ++n;
        if (latencies_ns) latencies_ns[i] = std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
    }
    return n;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

int run(const BenchCommand& o) {
    DayPolicy day;
    std::vector<Status> include;
    if (!o.flags.resolve(day, include)) return kUsage;
    const auto t_load = Clock::now();
    auto set = load_or_report(o.policy_dir, o.flags.colour_stderr());
    if (!set) return kPolicyError;
    const double load_ms = std::chrono::duration<double, std::milli>(Clock::now() - t_load).count();
    std::unique_ptr<NativeCode> native;  // loaded after the timing: load_ms is the policy set's
    if (!o.native.empty() && !(native = load_native_or_report(o.native, *set))) return kInputError;
    Lines lines;
    if (!load_lines(o.requests, lines)) return kInputError;
    if (lines.spans.empty()) {
        fmt::print(stderr, "error: {}: no requests\n", o.requests);
        return kInputError;
    }
    const std::size_t n = lines.spans.size();
    const int repeat = std::max(1, o.repeat);
    const unsigned threads = batch_threads(o.threads);

    // One thread: `repeat` passes, median rate; the last pass also records latencies.
    Session s(*set);
    s.evaluator.set_native(native.get());
    std::string out;
    std::size_t bad = 0;
    run_range(*set, s, lines, 0, std::min<std::size_t>(n, 10000), day, include, o.with_output, out, bad, nullptr);  // warm-up
    std::vector<double> single;
    for (int r = 0; r < repeat; ++r) {
        bad = 0;
        const auto t0 = Clock::now();
        const auto decided = run_range(*set, s, lines, 0, n, day, include, o.with_output, out, bad, nullptr);
        single.push_back(decided / std::chrono::duration<double>(Clock::now() - t0).count());
    }
    std::vector<double> lat(n, 0.0);
    run_range(*set, s, lines, 0, n, day, include, o.with_output, out, bad, lat.data());
    std::sort(lat.begin(), lat.end());
    auto pct = [&](double p) { return lat[std::min(n - 1, static_cast<std::size_t>(p * static_cast<double>(n)))]; };

    // All cores: contiguous slices, one session per thread.
    std::vector<double> multi;
    BatchRunner runner(*set, threads, native.get());
    for (int r = 0; r < repeat; ++r) {
        std::vector<std::size_t> decided(threads, 0), bads(threads, 0);
        std::vector<std::string> outs(threads);
        const auto t0 = Clock::now();
        runner.run_slices(n, [&](Session& session, unsigned t, std::size_t b, std::size_t e) {
            decided[t] = run_range(*set, session, lines, b, e, day, include, o.with_output, outs[t], bads[t], nullptr);
        });
        std::size_t total = 0;
        for (auto d : decided) total += d;
        multi.push_back(total / std::chrono::duration<double>(Clock::now() - t0).count());
    }
    struct rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    const double rss_mb = ru.ru_maxrss / 1024.0;
    const double st = median(single), mt = median(multi);

    fmt::print("policy set      {} ({} rules, loaded and compiled in {:.1f} ms)\n", set->name(), set->checked().rules.size(), load_ms);
    fmt::print("rules run as    {}\n", native ? fmt::format("native code ({})", o.native) : std::string("interpreter (tree walk)"));
    fmt::print("requests        {} from {} ({} unreadable, skipped){}\n", n, o.requests, bad,
               o.with_output ? "; decision JSON written to memory" : "");
    fmt::print("one thread      {:>12.0f} decisions/s  (median of {}; decode + decide)\n", st, repeat);
    fmt::print("{} threads      {:>12.0f} decisions/s  (median of {}; {:.2f}x one thread)\n", threads, mt, repeat, mt / st);
    fmt::print("latency         p50 {:.0f} ns  p90 {:.0f} ns  p99 {:.0f} ns  p99.9 {:.0f} ns  max {:.0f} ns\n", pct(0.5),
               pct(0.9), pct(0.99), pct(0.999), lat.back());
    fmt::print("peak RSS        {:.1f} MiB (the request file is held in memory: {:.1f} MiB)\n", rss_mb,
               lines.text.size() / 1048576.0);
    if (!o.json_out.empty()) {
        std::FILE* f = std::fopen(o.json_out.c_str(), "w");
        if (!f) {
            fmt::print(stderr, "error: {}: cannot write\n", o.json_out);
            return kInputError;
        }
        std::string name;
        append_json_string(name, set->name());
        fmt::print(f,
                   "{{\"policy_set\":{},\"rules\":{},\"native\":{},\"load_ms\":{:.3f},\"requests\":{},\"unreadable\":{},"
                   "\"with_output\":{},\"repeat\":{},\"single_thread_per_s\":{:.0f},\"threads\":{},\"multi_thread_per_s\":{:.0f},"
                   "\"single_thread_runs\":[{:.0f}],\"multi_thread_runs\":[{:.0f}],"
                   "\"latency_ns\":{{\"p50\":{:.0f},\"p90\":{:.0f},\"p99\":{:.0f},\"p999\":{:.0f},\"max\":{:.0f}}},\"peak_rss_mib\":{:.1f}}}\n",
                   name, set->checked().rules.size(), native ? "true" : "false", load_ms, n, bad, o.with_output ? "true" : "false", repeat, st,
                   threads, mt, fmt::join(single, ","), fmt::join(multi, ","), pct(0.5), pct(0.9), pct(0.99), pct(0.999),
                   lat.back(), rss_mb);
        std::fclose(f);
    }
    return kOk;
}

}  // namespace

void setup_bench(CLI::App& app) {
    auto o = std::make_shared<BenchCommand>();
    auto* cmd = app.add_subcommand("bench", "Decisions per second and latency percentiles on a .jsonl file");
    cmd->footer(
        "Reads the whole file into memory, then decodes and decides every line: `--repeat` passes on\n"
        "one thread (median reported), the same on all cores, and one pass timing each request for\n"
        "the latency percentiles. Decisions are computed, not printed (--with-output also renders each\n"
        "decision's JSON into memory). Unreadable lines are counted and skipped.\n"
        "\n"
        "--native FILE.so runs the rules as machine code made by `cordon native` from this very\n"
        "policy set (every thread shares it); compare a run with and one without. A file made\n"
        "from another policy set or cordon build is refused (exit 3).\n"
        "\n"
        "Examples:\n"
        "  node bench/gen/gen_requests.mjs --count 1000000 --seed 42 --out /tmp/requests.jsonl\n"
        "  cordon bench -p bench/peers /tmp/requests.jsonl\n"
        "  cordon bench -p policies/us /tmp/requests.jsonl --threads 1 --repeat 9 --json result.json\n"
        "  cordon native -p bench/peers -o /tmp/peers.so && cordon bench -p bench/peers --native /tmp/peers.so /tmp/requests.jsonl");
    add_policy_option(cmd, o->policy_dir);
    cmd->add_option("requests", o->requests, "A .jsonl file, one request per line")->required();
    cmd->add_option("--threads", o->threads, "Threads for the all-cores figure (default: all cores)")
        ->check(threads_validator());
    cmd->add_option("--repeat", o->repeat, "Timed passes per figure; the median is reported (default 5)");
    cmd->add_flag("--with-output", o->with_output, "Also render each decision as JSON (in memory)");
    cmd->add_option("--json", o->json_out, "Also write the figures as JSON to this file");
    add_native_option(cmd, o->native);
    o->flags.add_to(*cmd, false, true, false);
    o->flags.add_request_time_to(*cmd);
    run_with_exit_status(cmd, [o] { return run(*o); });
}

}  // namespace cordon::cli
