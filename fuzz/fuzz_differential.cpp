// Structure-aware differential target: the input bytes are not a policy but the choices of
// the differential test's generator (tests/gen/). The first 8 bytes seed a random valid
// policy set (generate_set); each further 8 bytes seed one request scenario for it
// (generate_scenario: request, as-of day, statuses included), at most kMaxScenarios; an
// input of 8 bytes or fewer gets kDefaultScenarios from the set's own request seed.
// Every scenario is decided by the engines of make_engines (the fast path with every pass
// on, the tree walk, YAML and padded decoding, the reference evaluator) and by ONE
// compiler-pass configuration (every pass off, or one pass off), picked by the set seed:
// compiling a set twelve more ways cost most of an input's time, and over many sets every
// configuration is drawn (ctest's differential test runs all twelve on every set). Any
// disagreement with the fast path aborts with both outcomes printed. A set the generator
// makes that does not load is a finding too.
// The last set's engines are kept, so inputs that differ only after the first 8 bytes (most
// of libFuzzer's mutations) cost the decisions only, not generation and compilation.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "cordon/dsl/parse.hpp"
#include "engines.hpp"
#include "fuzz_support.hpp"
#include "policy_gen.hpp"

namespace {

namespace fs = std::filesystem;
using namespace cordon;

constexpr std::size_t kMaxScenarios = 32;
constexpr std::size_t kDefaultScenarios = 8;

std::uint64_t word(const std::uint8_t* data, std::size_t size, std::size_t at) {
    std::uint8_t bytes[8] = {};
    if (at < size) std::memcpy(bytes, data + at, std::min<std::size_t>(8, size - at));
    std::uint64_t w = 0;
    for (int i = 7; i >= 0; --i) w = (w << 8) | bytes[i];
    return w;
}

// The generated set last loaded and its engines (one set per process at a time).
struct Current {
    bool valid = false;
    std::uint64_t seed = 0;
    gen::GeneratedSet set;
    LoadResult loaded;
    std::vector<std::unique_ptr<gen::Engine>> engines;
};

fs::path scratch_dir() {
    static const fs::path dir = fs::temp_directory_path() / fmt::format("cordon-fuzz-diff-{}", ::getpid());
    return dir;
}

Current& load(std::uint64_t seed) {
    static Current current;
    if (current.valid && current.seed == seed) return current;
    current = Current{};
    current.seed = seed;
    current.set = gen::generate_set(seed);
    const auto files = current.set.files();
    std::error_code ec;
    fs::remove_all(scratch_dir(), ec);
    gen::write_files(scratch_dir().string(), files);
    current.loaded = PolicySet::load(scratch_dir().string());
    fs::remove_all(scratch_dir(), ec);  // loaded: the sources are in memory now
    if (!current.loaded.set) {
        std::string text = fmt::format("generator seed {}\n", seed);
        for (const auto& [path, body] : files) text += "--- " + path + "\n" + body;
        text += "--- diagnostics\n" + render_all(current.loaded.diagnostics, *current.loaded.sources);
        fuzz::fail("a generated policy set did not load", text);
    }
    std::vector<std::string> notes;
    gen::EngineSetup setup;
    setup.seed = seed;
    setup.pass_configs = 1;
    current.engines = gen::make_engines(current.loaded, setup, notes);
    if (!notes.empty()) fuzz::fail("an engine could not be made for a generated set", fmt::format("{}", fmt::join(notes, "\n")));
    current.valid = true;
    return current;
}

void check(Current& c, const gen::Scenario& s) {
    static std::vector<gen::Outcome> outcomes;
    outcomes.resize(c.engines.size());
    for (std::size_t i = 0; i < c.engines.size(); ++i) {
        c.engines[i]->run(s, outcomes[i]);
        if (i == 0 || outcomes[i] == outcomes[0]) continue;
        std::string text = fmt::format("set seed {}; {}\nrequest: {}\n", c.seed, s.describe_options(), s.request);
        for (const auto& [path, body] : c.set.files()) text += "--- " + path + "\n" + body;
        const auto& checked = c.loaded.set->checked();
        text += fmt::format("--- {}\n{}--- {}\n{}", c.engines[0]->name(), outcomes[0].describe(checked),
                            c.engines[i]->name(), outcomes[i].describe(checked));
        fuzz::fail("two engines decide a generated request differently", text);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::uint64_t set_seed = word(data, size, 0);
    Current& current = load(set_seed);
    if (size <= 8) {
        std::mt19937_64 rng(gen::request_seed(set_seed));
        for (std::size_t i = 0; i < kDefaultScenarios; ++i) check(current, gen::generate_scenario(current.set, rng));
        return 0;
    }
    const std::size_t scenarios = std::min(kMaxScenarios, (size - 1) / 8);
    for (std::size_t i = 0; i < scenarios; ++i) {
        std::mt19937_64 rng(word(data, size, 8 + 8 * i));
        check(current, gen::generate_scenario(current.set, rng));
    }
    return 0;
}
