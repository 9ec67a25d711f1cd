// The differential run (see differential.hpp and docs/testing.md).
#include "differential.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <ostream>

#include "cordon/dsl/parse.hpp"
#include "engines.hpp"
#include "policy_gen.hpp"
#include "program/program.hpp"

namespace cordon::gen {

namespace fs = std::filesystem;

std::uint64_t set_seed(std::uint64_t seed, std::uint64_t index) {
    // splitmix64 of (seed, index): neighbouring seeds give unrelated sets.
    std::uint64_t z = seed * 0x9e3779b97f4a7c15ULL + index + 0x632be59bd9b4e019ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::string DiffStats::summary() const {
    return fmt::format(
        "{} sets ({} rules, {} failed to load, {} engine notes, {} with native code), {} requests ({} refused as input), "
        "{} comparisons over engines [{}], {} disagreements, {} crashes; verdicts allow {} deny {} report {}, "
        "{} with errors, {} rules fired; compiled: {} twins, {} family members, {} index keys in {} sets; {:.1f} s",
        sets, rules, load_failures, engine_notes, native_sets, requests, input_errors, comparisons,
        fmt::join(engines, ", "), mismatches, crashes, allow, deny, report, with_errors, fired, twins, family_members,
        index_keys, sets_indexed, seconds);
}

namespace {

// A scratch directory, removed at the end.
struct TempDir {
    TempDir() {
        static std::atomic<int> counter{0};
        path = fs::temp_directory_path() / fmt::format("cordon-diff-{}-{}", ::getpid(), counter++);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    fs::path path;
};

LoadResult load_files(const std::map<std::string, std::string>& files) {
    TempDir dir;
    write_files(dir.path.string(), files);
    return PolicySet::load(dir.path.string());
}

// The first engine that disagrees with engines[0] on `s`, or -1.
int disagreeing(std::vector<std::unique_ptr<Engine>>& engines, const Scenario& s, std::vector<Outcome>& outcomes) {
    outcomes.resize(engines.size());
    int first = -1;
    for (std::size_t i = 0; i < engines.size(); ++i) {
        engines[i]->run(s, outcomes[i]);
        if (i && first < 0 && !(outcomes[i] == outcomes[0])) first = static_cast<int>(i);
    }
    return first;
}

std::string scenario_text(const Scenario& s) {
    std::vector<std::string> inc;
    for (auto st : s.include) inc.push_back(status_name(st));
    return fmt::format("as_of: {}\ninclude: [{}]\ninclude_policy: [{}]\nrequest: {}\n", format_date(s.as_of),
                       fmt::join(inc, ", "), fmt::join(s.policies, ", "), s.request);
}

class Runner {
public:
    Runner(const DiffConfig& c, std::ostream& log) : c_(c), log_(log) {}
    DiffStats run();

private:
    void one_set(std::uint64_t index);
    void report(const GeneratedSet& g, const Scenario& s, const std::string& engine, bool native);
    std::vector<std::vector<bool>> shrink(const GeneratedSet& g, const Scenario& s, bool native);
    bool reproduces(const GeneratedSet& g, const std::vector<std::vector<bool>>& keep, const Scenario& s, bool native);
    EngineSetup setup(std::uint64_t seed, bool native, const fs::path& native_dir,
                      std::shared_ptr<const PolicySet> permuted) const {
        EngineSetup e;
        e.permuted = std::move(permuted);
        e.pass_configs = c_.pass_configs;
        e.seed = seed;
        if (native) e.native_dir = native_dir.string();
        return e;
    }

    const DiffConfig& c_;
    std::ostream& log_;
    DiffStats st_;
    int reports_ = 0;
    TempDir native_root_;
};

DiffStats Runner::run() {
    const auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    double next_progress = 60;
    for (std::uint64_t i = 0; (c_.max_sets == 0 || i < c_.max_sets) && elapsed() < c_.seconds; ++i) {
        if (c_.progress && elapsed() >= next_progress) {
            st_.seconds = elapsed();
            log_ << "progress: " << st_.summary() << "\n" << std::flush;
            next_progress += 60;
        }
        try {
            one_set(i);
        } catch (const std::exception& e) {
            ++st_.crashes;
            log_ << fmt::format("set {} (seed {}): exception: {}\n", i, set_seed(c_.seed, i), e.what());
        }
    }
    st_.seconds = elapsed();
    return st_;
}

void Runner::one_set(std::uint64_t index) {
    const std::uint64_t seed = set_seed(c_.seed, index);
    const GeneratedSet g = generate_set(seed);
    const auto files = g.files();
    ++st_.sets;
    st_.rules += g.rule_count();
    const LoadResult loaded = load_files(files);
    if (!loaded.set) {
        ++st_.load_failures;
        const std::string diags = render_all(loaded.diagnostics, *loaded.sources);
        log_ << fmt::format("GENERATOR BUG: set {} (seed {}) did not load:\n{}\n", index, seed, diags);
        if (!c_.out_dir.empty() && reports_ < c_.max_reports) {
            ++reports_;
            const auto dir = fs::path(c_.out_dir) / fmt::format("load-failure-{}", seed);
            write_files(dir.string(), files);
            std::ofstream(dir / "diagnostics.txt") << diags;
        }
        return;
    }
    const Program& program = loaded.set->program();
    for (const auto& r : program.rules) {
        st_.twins += r.twin_of >= 0;
        st_.family_members += r.family_of >= 0;
    }
    st_.index_keys += program.indexes.size();
    st_.sets_indexed += !program.indexes.empty();
    bool native = false;
    if (static_cast<int>(st_.native_sets) < c_.native_sets) {
        const int every = std::max(1, c_.native_every);
        native = index % every == 0;
    }
    const fs::path native_dir = native_root_.path / fmt::format("set-{}", index);
    if (native) fs::create_directories(native_dir);
    std::vector<std::string> notes;
    const LoadResult permuted = load_files(g.files(nullptr, seed | 1));
    if (!permuted.set) {
        ++st_.load_failures;
        log_ << fmt::format("GENERATOR BUG: set {} (seed {}) permuted did not load:\n{}\n", index, seed,
                            render_all(permuted.diagnostics, *permuted.sources));
    }
    auto engines = make_engines(loaded, setup(seed, native, native_dir, permuted.set), notes);
    for (const auto& n : notes) log_ << fmt::format("set {} (seed {}): {}\n", index, seed, n);
    st_.engine_notes += notes.size();
    st_.native_sets += native;
    st_.engines.clear();
    for (const auto& e : engines) st_.engines.push_back(e->name());

    std::mt19937_64 rng(request_seed(seed));
    std::vector<Outcome> outcomes;
    for (int r = 0; r < c_.requests_per_set; ++r) {
        const Scenario s = generate_scenario(g, rng);
        ++st_.requests;
        const int bad = disagreeing(engines, s, outcomes);
        st_.comparisons += engines.size() - 1;
        const Outcome& o = outcomes[0];
        if (!o.input_error.empty()) {
            if (++st_.input_errors <= c_.show_input_errors)
                log_ << fmt::format("input error: {}\n  {}\n", o.input_error, s.request);
        } else {
            st_.allow += o.verdict == Verdict::Allow;
            st_.deny += o.verdict == Verdict::Deny;
            st_.report += o.verdict == Verdict::Report;
            st_.with_errors += !o.errors.empty();
            st_.fired += o.fired.size();
        }
        if (bad < 0) continue;
        ++st_.mismatches;
        log_ << fmt::format("DISAGREEMENT: set {} (seed {}), request {}: {} and {} differ\n{}--- {}:\n{}--- {}:\n{}",
                            index, seed, r, engines[0]->name(), engines[bad]->name(), scenario_text(s),
                            engines[0]->name(), o.describe(loaded.set->checked()), engines[bad]->name(),
                            outcomes[bad].describe(loaded.set->checked()));
        if (reports_ < c_.max_reports) {
            ++reports_;
            report(g, s, engines[bad]->name(), engines[bad]->name() == "native");
        }
    }
}

bool Runner::reproduces(const GeneratedSet& g, const std::vector<std::vector<bool>>& keep, const Scenario& s,
                        bool native) {
    const LoadResult loaded = load_files(g.files(&keep));
    const LoadResult permuted = load_files(g.files(&keep, g.seed | 1));
    if (!loaded.set) return false;
    TempDir native_dir;
    std::vector<std::string> notes;
    auto engines = make_engines(loaded, setup(g.seed, native, native_dir.path, permuted.set), notes);
    std::vector<Outcome> outcomes;
    return disagreeing(engines, s, outcomes) >= 0;
}

// Drops rules one at a time while the disagreement stays (at most a minute's work).
std::vector<std::vector<bool>> Runner::shrink(const GeneratedSet& g, const Scenario& s, bool native) {
    std::vector<std::vector<bool>> keep;
    for (const auto& p : g.policies) keep.emplace_back(p.rules.size(), true);
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t p = 0; p < keep.size(); ++p)
        for (std::size_t r = 0; r < keep[p].size(); ++r) {
            if (std::chrono::steady_clock::now() - start > std::chrono::seconds(native ? 120 : 30)) return keep;
            keep[p][r] = false;
            if (!reproduces(g, keep, s, native)) keep[p][r] = true;
        }
    return keep;
}

void Runner::report(const GeneratedSet& g, const Scenario& s, const std::string& engine, bool native) {
    const auto keep = shrink(g, s, native);
    const auto files = g.files(&keep);
    const LoadResult loaded = load_files(files);
    const LoadResult permuted = load_files(g.files(&keep, g.seed | 1));
    std::string decisions;
    if (loaded.set) {
        TempDir native_dir;
        std::vector<std::string> notes;
        auto engines = make_engines(loaded, setup(g.seed, native, native_dir.path, permuted.set), notes);
        std::vector<Outcome> outcomes;
        disagreeing(engines, s, outcomes);
        for (std::size_t i = 0; i < engines.size(); ++i)
            decisions += fmt::format("--- {}:\n{}", engines[i]->name(), outcomes[i].describe(loaded.set->checked()));
    }
    std::string rules;
    for (const auto& [path, text] : files)
        if (path.ends_with(".cordon")) rules += fmt::format("=== {}\n{}", path, text);
    log_ << fmt::format("shrunk (engine {}), seed {}:\n{}{}{}\n", engine, g.seed, rules, scenario_text(s), decisions);
    if (c_.out_dir.empty()) return;
    // The loader reads subdirectories too: each set gets a directory of its own.
    const auto dir = fs::path(c_.out_dir) / fmt::format("mismatch-{}-{}", g.seed, reports_);
    write_files((dir / "set").string(), files);
    write_files((dir / "original").string(), g.files());
    if (engine == "permuted") write_files((dir / "permuted").string(), g.files(&keep, g.seed | 1));
    std::ofstream(dir / "request.json") << s.request << "\n";
    std::ofstream(dir / "scenario.txt") << fmt::format("set seed {}\nengine {}\n", g.seed, engine) << scenario_text(s);
    std::ofstream(dir / "decisions.txt") << decisions;
    log_ << fmt::format("written to {}\n", dir.string());
}

}  // namespace

DiffStats run_differential(const DiffConfig& config, std::ostream& log) { return Runner(config, log).run(); }

}  // namespace cordon::gen
