// Synthetic inputs for the benchmarks: realistic requests (a C++ port of
// bench/gen/gen_requests.mjs, byte-identical for the same seed) and synthetic policy sets
// of any size (rules of the shapes real rule books have), written to a directory.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace cordon::bench {

/// mulberry32, as in bench/gen/gen_requests.mjs: uniform doubles in [0, 1).
class Mulberry32 {
public:
    explicit Mulberry32(std::uint32_t seed) : s_(seed) {}
    double operator()() {
        s_ += 0x6d2b79f5u;
        std::uint32_t t = s_;
        t = (t ^ (t >> 15)) * (t | 1u);
        t ^= t + (t ^ (t >> 7)) * (t | 61u);
        return static_cast<double>(t ^ (t >> 14)) / 4294967296.0;
    }
    /// An index in [0, n).
    std::size_t index(std::size_t n) { return static_cast<std::size_t>((*this)() * static_cast<double>(n)); }

private:
    std::uint32_t s_;
};

/// Requests `first` .. `first + count - 1` of the generator's stream for `seed`, one JSON
/// object per string, no newline. The same lines as
/// `node bench/gen/gen_requests.mjs --seed SEED` prints (`first` must be 1 for that).
std::vector<std::string> generate_requests(std::size_t count, std::uint32_t seed = 42);

/// Writes a synthetic policy set of `rules` rules to `dir` (created if needed): cordon.yaml,
/// schema.yaml (the shape of policies/us/schema.yaml), sets.yaml (country groups D1, D4, D5,
/// MACAU and 24 regional groups of about ten countries) and rules_NNN.cordon files of at
/// most 50 rules per policy. The rules are drawn with a seeded PRNG over ~200 country codes
/// and 15 chip names, so a request matches only a few of them, as in real rule books.
/// Returns the number of rules written (== rules).
std::size_t write_synthetic_policy_set(const std::string& dir, std::size_t rules, std::uint32_t seed = 7);

/// A fresh private temporary directory ("/tmp/cordon-bench-XXXXXX"); removed by
/// `remove_tree`.
std::string make_temp_dir();
void remove_tree(const std::string& dir);

}  // namespace cordon::bench
