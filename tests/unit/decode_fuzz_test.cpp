// Bad input never crashes the decoder: thousands of mutated requests (truncated, bytes
// deleted, inserted or flipped) each decode cleanly or give an error naming the problem.
#include <random>

#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

TEST_CASE("mutated requests never crash the decoder and never decode silently wrong") {
    auto l = load_rules("policy t {\n  status in_force\n  rule r { deny when customer.country == \"CN\" because \"x\" cite \"c\" }\n}\n");
    REQUIRE(l.ok());
    const std::string good = R"({"id": "f-1", "time": "2024-11-18T09:00:00Z", "customer": {"name": "Example \"U\"",
        "country": "CN", "hq_country": "CN", "parent_hq_country": "MO", "foreign": true, "identity_verified": false,
        "owners": [{"name": "H", "country": "CN", "share": 0.6}]},
        "intermediaries": [{"name": "R", "country": "CN", "role": "reseller"}, {"name": "S", "country": "SG", "role": "agent"}],
        "resource": {"chip": "H100-SXM", "count": 8, "tpp": 15832, "performance_density": 19.4},
        "workload": {"kind": "training", "training_ops": 3e24, "bio_sequence": false}, "license": {"granted": false}})";
    Session s(*l.result.set);
    REQUIRE(!s.decoder.decode_json(good, s.request));
    std::mt19937 rng(12345);
    const std::string alphabet = "{}[]\":,0123456789eE.-+ tfnaslru\\\x01\xff";
    int errors = 0, decoded = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string m = good;
        const int edits = 1 + static_cast<int>(rng() % 3);
        for (int k = 0; k < edits && !m.empty(); ++k) {
            const std::size_t at = rng() % m.size();
            switch (rng() % 4) {
                case 0: m.resize(at); break;
                case 1: m.erase(at, 1 + rng() % 8); break;
                case 2: m.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
                default: m[at] = alphabet[rng() % alphabet.size()]; break;
            }
        }
        const bool padded = (i % 2) == 0;
        std::string buffer = m;
        buffer.append(kJsonPadding, '\0');
        const auto err = s.decoder.decode_json(std::string_view(buffer.data(), m.size()), s.request, padded);
        if (err) {
            ++errors;
            CHECK(!err->message.empty());
        } else {
            ++decoded;
            // Whatever decoded must evaluate without crashing, too.
            s.evaluator.decide(s.request, l.result.set->options(s.request, 20000), s.decision);
        }
    }
    CHECK(errors > 10000);
    MESSAGE(errors << " mutations rejected, " << decoded << " decoded");
}
