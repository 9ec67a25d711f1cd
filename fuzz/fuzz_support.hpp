// Shared by the fuzz targets: the shipped policy set's path, a JSON validity check, the
// engine-vs-reference decision check, and a loud failure that libFuzzer records as a
// crash (with the input saved).
#pragma once
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "cordon/engine/policy_set.hpp"

namespace cordon::fuzz {

/// policies/us of the source tree the target was built from.
inline std::string policy_dir() { return std::string(CORDON_SOURCE_DIR) + "/policies/us"; }

/// A property the target checks does not hold: print why and abort (a libFuzzer crash).
[[noreturn]] inline void fail(const char* what, std::string_view detail) {
    std::fprintf(stderr, "\nFUZZ PROPERTY FAILED: %s\n%.*s\n", what, static_cast<int>(detail.size()),
                 detail.data());
    std::abort();
}

/// Aborts unless `text` is one well-formed JSON object (nlohmann rejects invalid UTF-8 too).
inline void require_json_object(std::string_view text, const char* what) {
    const auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) fail(what, text);
}

/// Decides `s.request` with the compiled program and with the reference evaluator and
/// writes the program's decision to `out` (cleared first). The two decisions' JSON must be
/// byte-identical and a JSON object.
inline void decide_both(const PolicySet& set, Session& s, const EvalOptions& options, std::string& out) {
    static Decision reference;
    static std::string reference_out;
    out.clear();
    reference_out.clear();
    s.evaluator.decide(s.request, options, s.decision);
    set.write_json(s.evaluator, s.request, s.decision, out);
    s.reference.decide(s.request, options, reference);
    set.write_json(s.reference, s.request, reference, reference_out);
    if (out != reference_out) fail("the engine and the reference evaluator decide differently", out + "\n" + reference_out);
    require_json_object(out, "decision is not a JSON object");
}

}  // namespace cordon::fuzz
