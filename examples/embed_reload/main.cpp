// Reloading a policy set while two threads decide, in C++ (cordon::Live and
// cordon::ThreadWorkers) and through the C ABI (cordon_live). Each decision names the
// digest of the version that made it; every (digest, verdict) pair must be the one that
// version gives alone, so a request decoded by one version and decided by another, or a
// version freed under a running call, shows up as a failure (or a ThreadSanitizer report).
//
//     embed_reload V1_DIR V2_DIR [SWAPS]     (scripts/embed-check.sh makes V2 from V1)
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "cordon.h"
#include "cordon/dsl/parse.hpp"
#include "cordon/engine/live.hpp"
#include "cordon/engine/policy_set.hpp"
#include "cordon/engine/version.hpp"

namespace {

const char* const kRequest =
    R"({"id":"reload","time":"2024-11-18","customer":{"name":"Example AI Lab","kind":"company","country":"SG",)"
    R"("hq_country":"CN","foreign":true,"identity_verified":true},)"
    R"("resource":{"chip":"H100-SXM","count":8,"region_country":"US"},"workload":{"kind":"inference"}})";

using Expected = std::map<std::string, std::string>;  // digest -> verdict word

// "deny" from {"id":..,"decision":"deny",..}; "sha256:..." from "policy_set":{..,"digest":"sha256:.."}.
std::string field(const std::string& json, const char* key) {
    const std::string k = std::string("\"") + key + "\":\"";
    const auto at = json.find(k);
    if (at == std::string::npos) return "?";
    const auto begin = at + k.size();
    return json.substr(begin, json.find('"', begin) - begin);
}

// Two threads decide through `decide` while the main thread swaps `swaps` times.
template <class Decide, class Swap>
int serve(const char* what, const Expected& expected, int swaps, Decide decide, Swap swap) {
    std::atomic<bool> done{false};
    std::atomic<long> decided{0}, wrong{0};
    auto worker = [&] {
        std::string json;
        while (!done.load()) {
            decide(json);
            const auto it = expected.find(field(json, "digest"));
            if (it == expected.end() || it->second != field(json, "decision")) {
                if (wrong.fetch_add(1) == 0) std::fprintf(stderr, "%s: unexpected decision %s\n", what, json.c_str());
            }
            decided.fetch_add(1);
        }
    };
    std::thread a(worker), b(worker);
    for (int i = 0; i < swaps; ++i) {
        swap(i);
        const long target = decided.load() + 4;  // let the deciders run a little on each version
        while (decided.load() < target) std::this_thread::yield();
    }
    done = true;
    a.join();
    b.join();
    std::printf("%s: %d swaps, %ld decisions, %ld wrong\n", what, swaps, decided.load(), wrong.load());
    return wrong.load() == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: embed_reload V1_DIR V2_DIR [SWAPS]\n");
        return 2;
    }
    const int swaps = argc > 3 ? std::atoi(argv[3]) : 200;
    std::printf("cordon %s (C ABI %s)\n", cordon::version(), cordon_version());
    if (std::strcmp(cordon::version(), cordon_version()) != 0) return 1;

    // C++: each version is a shared_ptr; a Session (one per thread) keeps its own alive.
    std::shared_ptr<const cordon::PolicySet> versions[2];
    Expected expected;
    for (int v = 0; v < 2; ++v) {
        auto loaded = cordon::PolicySet::load(argv[1 + v]);
        if (!loaded.set) {
            std::fputs(cordon::render_all(loaded.diagnostics, *loaded.sources).c_str(), stderr);
            return 2;
        }
        versions[v] = loaded.set;
        cordon::Session s(*versions[v]);
        std::string json;
        if (s.decoder.decode_json(kRequest, s.request) || !s.decide(versions[v]->options(s.request, cordon::today())))
            return 1;
        s.write_json(json);
        expected[versions[v]->digest()] = field(json, "decision");
        const auto digest = versions[v]->short_digest();
        std::printf("version %d: %.*s -> %s\n", v + 1, static_cast<int>(digest.size()), digest.data(),
                    field(json, "decision").c_str());
    }
    if (expected.size() != 2) return 1;

    cordon::Live<cordon::PolicySet> live(versions[0]);
    using Workers = cordon::ThreadWorkers<cordon::PolicySet, cordon::Session>;
    int rc = serve("C++", expected, swaps,
                   [&](std::string& json) {
                       auto [s, set] = Workers::get(live);
                       json.clear();
                       if (s->decoder.decode_json(kRequest, s->request)) return;
                       if (!s->decide(set->options(s->request, cordon::today()))) return;
                       s->write_json(json);
                   },
                   [&](int i) { live.swap(versions[(i + 1) % 2]); });

    // C: cordon_live holds the current version; the sets are freed while still served.
    cordon_policy_set* sets[2];
    for (int v = 0; v < 2; ++v) {
        char* err = nullptr;
        sets[v] = cordon_load(argv[1 + v], &err);
        if (!sets[v]) {
            std::fputs(err, stderr);
            cordon_free_string(err);
            return 2;
        }
    }
    cordon_live* slot = cordon_live_new(sets[0]);
    rc |= serve("C", expected, swaps,
                [&](std::string& json) {
                    char* out = nullptr;
                    cordon_live_decide_json(slot, kRequest, std::strlen(kRequest), nullptr, nullptr, &out);
                    json = out ? out : "";
                    cordon_free_string(out);
                },
                [&](int i) { cordon_live_swap(slot, sets[(i + 1) % 2]); });
    for (auto* s : sets) cordon_free(s);
    char* digest = cordon_live_digest(slot);  // the slot still holds a version of its own
    std::printf("C slot after the sets were freed: %s\n", digest && expected.count(digest) ? "still serving" : "LOST");
    rc |= digest && expected.count(digest) ? 0 : 1;
    cordon_free_string(digest);
    cordon_live_free(slot);
    std::puts(rc == 0 ? "reload: ok" : "reload: FAILED");
    return rc;
}
