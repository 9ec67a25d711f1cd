// Shared helpers of the Google Benchmark suite: policy sets loaded once, padded JSONL
// buffers, pre-decoded requests.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "cordon/dsl/parse.hpp"
#include "cordon/engine/native.hpp"
#include "cordon/engine/policy_set.hpp"
#include "synthetic.hpp"

#ifndef CORDON_SOURCE_DIR
#define CORDON_SOURCE_DIR "."
#endif

namespace cordon::bench {

/// A path inside the source tree ("policies/us"), or inside $CORDON_BENCH_ROOT when it is
/// set: another checkout's `policies/us` and `bench/peers`, so that this build and an older
/// one can be timed on the same rules (docs/benchmarks.md, "Session 13").
inline std::string source_path(std::string_view rel) {
    const char* root = std::getenv("CORDON_BENCH_ROOT");
    return std::string(root && *root ? root : CORDON_SOURCE_DIR) + "/" + std::string(rel);
}

/// The policy set in `dir`, loaded once per process (thread-safe); null (after printing
/// the diagnostics) when it does not load.
inline std::shared_ptr<const PolicySet> load_cached(const std::string& dir) {
    static std::mutex mu;
    static std::map<std::string, std::shared_ptr<const PolicySet>> cache;
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache.find(dir);
    if (it != cache.end()) return it->second;
    LoadResult r = PolicySet::load(dir);
    if (!r.set) std::fputs(render_all(r.diagnostics, *r.sources).c_str(), stderr);
    cache[dir] = r.set;
    return r.set;
}

/// Native code for the policy set in `dir` (see engine/include/cordon/engine/native.hpp),
/// built once per process with the compiler that built cordon into a temporary directory
/// (removed at exit); null (after printing why) when it cannot be built or loaded.
inline const NativeCode* native_cached(const std::string& dir) {
    static std::mutex mu;
    static std::map<std::string, std::unique_ptr<NativeCode>> cache;
    static std::string root;
    auto set = load_cached(dir);
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache.find(dir);
    if (it != cache.end()) return it->second.get();
    if (!set) return nullptr;
    if (root.empty()) {
        root = make_temp_dir();
        std::atexit([] { remove_tree(root); });
    }
    const std::string so = root + "/native-" + std::to_string(cache.size()) + ".so";
    std::string error;
    std::unique_ptr<NativeCode> code;
    if (NativeCode::build(set->program(), so, CORDON_NATIVE_CXX, error)) code = NativeCode::load(so, set->program(), error);
    if (!code) std::fprintf(stderr, "native code for %s: %s\n", dir.c_str(), error.c_str());
    return (cache[dir] = std::move(code)).get();
}

/// JSONL lines in one buffer, each followed by '\n', with simdjson's padding at the end,
/// so every line can be decoded with `padded = true` (no copy).
struct PaddedLines {
    std::string text;
    std::vector<std::string_view> lines;

    explicit PaddedLines(const std::vector<std::string>& src) {
        std::size_t total = kJsonPadding;
        for (const auto& l : src) total += l.size() + 1;
        text.reserve(total);
        std::vector<std::pair<std::size_t, std::size_t>> at;
        for (const auto& l : src) {
            at.emplace_back(text.size(), l.size());
            text += l;
            text += '\n';
        }
        text.append(kJsonPadding, '\0');
        for (auto [b, n] : at) lines.emplace_back(text.data() + b, n);
    }
};

/// The 2026-11-20 day every generated request carries, as the default as_of.
inline std::int32_t bench_day() { return *parse_date("2026-11-20"); }

}  // namespace cordon::bench
