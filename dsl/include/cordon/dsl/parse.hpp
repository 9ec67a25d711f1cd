// The parser's public face: text in, AST and diagnostics out. Spirit X3 stays behind it.
#pragma once
#include <optional>

#include "cordon/dsl/ast.hpp"
#include "cordon/dsl/diagnostic.hpp"
#include "cordon/dsl/limits.hpp"
#include "cordon/dsl/source.hpp"

namespace cordon {

/// Parses one rule file already registered in `sources`. On a syntax error adds a
/// diagnostic saying what was expected where, and returns nullopt; likewise (E0306) for
/// an expression deeper than `max_depth` levels (Limits::expression_depth).
std::optional<ast::PolicyFile> parse_policy_file(const SourceMap& sources, std::uint32_t file,
                                                 Diagnostics& diags, int max_depth = Limits{}.expression_depth);

/// Parses a single expression occupying [begin, end) of a registered file
/// (used for `{expr}` holes in messages and by tools that take expressions).
std::optional<ast::Expr> parse_expression(const SourceMap& sources, std::uint32_t file,
                                          std::uint32_t begin, std::uint32_t end,
                                          Diagnostics& diags, int max_depth = Limits{}.expression_depth);

/// True when `e` is at most `max_depth` levels deep (counted without recursion); else adds
/// an E0306 diagnostic at the first node past the limit and returns false.
bool check_expression_depth(const ast::Expr& e, int max_depth, Diagnostics& diags);

/// Calendar helpers shared by the parser, loaders and requests.
/// Days since 1970-01-01 for a valid proleptic Gregorian date, else nullopt.
std::optional<std::int32_t> days_from_civil(int year, int month, int day);
/// Parses "YYYY-MM-DD" exactly.
std::optional<std::int32_t> parse_date(std::string_view text);
/// Formats days since 1970-01-01 as "YYYY-MM-DD".
std::string format_date(std::int32_t days);

}  // namespace cordon
