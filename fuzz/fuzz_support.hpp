// Shared by the fuzz targets: the shipped policy set's path, a JSON validity check, and
// a loud failure that libFuzzer records as a crash (with the input saved).
#pragma once
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

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

}  // namespace cordon::fuzz
