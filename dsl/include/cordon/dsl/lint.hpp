// The lint pass: warnings about a policy set that loads but probably does not say what
// its author meant. Run by load_policy_set on every set that checked without errors.
#pragma once
#include "cordon/dsl/checked.hpp"
#include "cordon/dsl/diagnostic.hpp"
#include "cordon/dsl/source.hpp"

namespace cordon {

/// Adds warnings (Severity::Warning, codes W0001..W0007, see docs/commands/lint.md) to
/// `diags`, then sorts it:
///   W0001 a rule without `cite`                       (span: the rule name)
///   W0002 a `let` no rule reaches                     (span: the let name)
///   W0003 `effective` on or after `sunset`            (span: the `sunset` field)
///   W0004 dates outside [1990-01-01, 2200-01-01)      (span: the offending date field)
///   W0005 an optional attribute read without `has`    (span: the first unguarded read)
///   W0006 a numeric threshold 10x or 100x off the usual one for that attribute
///   W0007 an `allow` rule under `default: allow`      (span: the rule name)
/// A comment `# lint: allow W0005` (several codes may follow, separated by spaces or
/// commas) inside a rule, a let or a policy silences those codes for warnings about it.
void lint_policy_set(const CheckedPolicySet& set, const SourceMap& sources, Diagnostics& diags);

}  // namespace cordon
