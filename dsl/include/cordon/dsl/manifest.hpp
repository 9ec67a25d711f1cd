// The policy-set manifest (cordon.yaml): name, schema, default effect, error handling.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "cordon/dsl/diagnostic.hpp"
#include "cordon/dsl/source.hpp"

namespace cordon {

enum class DefaultEffect : std::uint8_t { Allow, Deny };
enum class OnError : std::uint8_t { Deny, Skip };

/// Policy statuses, in the order LANGUAGE.md lists them.
enum class Status : std::uint8_t { InForce, Proposed, Rescinded, Bill, Draft };
const char* status_name(Status s);
std::optional<Status> parse_status(std::string_view text);

struct Manifest {
    std::string name;
    std::string schema = "schema.yaml";  // relative to the manifest
    DefaultEffect default_effect = DefaultEffect::Allow;
    OnError on_error = OnError::Deny;
    std::vector<Status> enforce = {Status::InForce};
    Span span;
};

/// Loads `dir/cordon.yaml` (or `dir` itself when it is a file). Unknown keys and bad
/// values are kManifest errors naming the key, with a "did you mean" hint; `name` is
/// required; `enforce` duplicates are dropped and an empty list is allowed.
std::optional<Manifest> load_manifest(const std::string& dir, SourceMap& sources, Diagnostics& diags);
/// Parses a manifest from YAML text already registered as `file`.
std::optional<Manifest> parse_manifest(const SourceMap& sources, std::uint32_t file, Diagnostics& diags);

}  // namespace cordon
