// `cordon fmt`: one canonical layout for rule files, with every comment kept.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "cordon/dsl/ast.hpp"
#include "cordon/dsl/diagnostic.hpp"
#include "cordon/dsl/source.hpp"

namespace cordon {

/// Lines longer than this are broken (before `and` / `or`, after a quantifier's `:`,
/// before `else`); a single operand longer than it stays on its line.
inline constexpr int kFormatWidth = 96;

/// The canonical text of a parsed rule file (docs/commands/fmt.md describes the layout).
/// Meaning is preserved: the file parses back to the same tree. Comments are kept: each
/// stays on the line it trailed or before the item it preceded; one inside a multi-line
/// expression moves to the line before its clause or `let`. Idempotent.
std::string format_policy_file(const SourceMap& sources, const ast::PolicyFile& file);

/// Parses the file registered as `file` and formats it; nullopt (with the syntax error
/// in `diags`) when it does not parse.
std::optional<std::string> format_source(const SourceMap& sources, std::uint32_t file, Diagnostics& diags);

/// A unified diff (3 lines of context) from `before` to `after`, headed `--- old_name` /
/// `+++ new_name`; "" when the texts are equal.
std::string unified_diff(const std::string& before, const std::string& after, const std::string& old_name,
                         const std::string& new_name);

}  // namespace cordon
