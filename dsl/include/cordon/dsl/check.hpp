// The checker and the policy-set loader: names, lets, types, schema paths, data files.
#pragma once
#include <optional>
#include <string>

#include "cordon/dsl/checked.hpp"
#include "cordon/dsl/diagnostic.hpp"
#include "cordon/dsl/limits.hpp"

namespace cordon {

/// Loads a policy-set directory: cordon.yaml, its schema, every *.cordon file below
/// the directory (sorted by path), the data files they `use`, then checks it all.
/// Returns nullopt when any error was reported (warnings do not stop loading). A rule file,
/// expression or rule count past `limits` is an error (E0306) naming the file and line.
std::optional<CheckedPolicySet> load_policy_set(const std::string& dir, SourceMap& sources,
                                                Diagnostics& diags, const Limits& limits = {});

/// True when every rule and let of `set` is at most `max_depth` levels deep counting the
/// lets it uses (a let reference is one level plus its let's depth); else adds one E0306
/// diagnostic at the first rule or let past the limit and returns false.
bool check_depth_through_lets(const CheckedPolicySet& set, int max_depth, Diagnostics& diags);

/// A stable text of the checked set (rules, data, schema, manifest) from which the
/// policy-set digest is computed: formatting and file order do not change it.
std::string canonical_text(const CheckedPolicySet& set);

/// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace cordon
