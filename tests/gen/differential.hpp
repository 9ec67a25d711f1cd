// The differential run: generate sets and requests from a seed, decide each request with
// every engine (engines.hpp), and record every disagreement, shrunk to the rules that
// still show it, as a directory that can be turned into a regression test.
#pragma once
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace cordon::gen {

struct DiffConfig {
    std::uint64_t seed = 1;
    double seconds = 60;           // stop generating new sets after this long
    std::uint64_t max_sets = 0;    // 0: no limit but time
    int requests_per_set = 120;
    int native_sets = 0;           // build native code for this many sets (seconds each)
    int native_every = 0;          // ... spread out: every this-many-th set (0: the first ones)
    int pass_configs = -1;         // compiler-pass configurations per set (-1: all)
    std::string out_dir;           // where disagreements and load failures go ("" : nowhere)
    int max_reports = 20;
    std::uint64_t show_input_errors = 0;
    bool progress = false;         // log the figures every minute  // log this many refused requests (generator tuning)          // stop writing (and shrinking) after this many
};

struct DiffStats {
    std::uint64_t sets = 0, rules = 0, load_failures = 0, engine_notes = 0;
    std::uint64_t requests = 0, input_errors = 0, comparisons = 0, mismatches = 0, crashes = 0;
    std::uint64_t allow = 0, deny = 0, report = 0, with_errors = 0, fired = 0, native_sets = 0;
    // What the compiler made of the sets: the optimisations the engines are checked on.
    std::uint64_t twins = 0, family_members = 0, index_keys = 0, sets_indexed = 0;
    std::vector<std::string> engines;  // names of the engines of the last set
    double seconds = 0;
    std::string summary() const;
};

/// Runs until `config.seconds` have passed (or max_sets), logging to `log`.
DiffStats run_differential(const DiffConfig& config, std::ostream& log);

/// The seed of the `index`-th set of a run with `seed` (so one set can be regenerated).
std::uint64_t set_seed(std::uint64_t seed, std::uint64_t index);

}  // namespace cordon::gen
