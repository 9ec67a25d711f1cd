// Types shared by the grammar's declaration, definition and instantiation: iterator,
// skipper, the per-parse state carried in the X3 context, and the context type itself.
#pragma once
#include <boost/spirit/home/x3.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "cordon/dsl/diagnostic.hpp"

namespace cordon::parser {
namespace x3 = boost::spirit::x3;

using iterator_type = const char*;

/// Deepest nesting of expressions (parentheses, `not`, unary minus, ...) the parser accepts;
/// deeper input is an error rather than a stack overflow.
/// 100 levels take about 1.5 MB of stack in an unoptimised build, 0.2 MB optimised.
inline constexpr int kMaxDepth = 100;

/// Everything one parse needs besides the iterators. Lives on the caller's stack and is
/// reached through the context (tag `state_tag`), so parses never share mutable state.
struct ParseState {
    const char* text_begin = nullptr;  // offset 0 of the file: spans are relative to it
    const char* text_end = nullptr;    // end of the parsed range
    const char* file_end = nullptr;    // end of the whole file (after text_end for message holes)
    std::uint32_t file = 0;
    int depth = 0;
    std::uint32_t max_height = 256;  // Limits::expression_depth: operator chains past it fail
    std::string policy_name;  // for messages such as `expected "}" to close policy x`
    std::string rule_name;
    std::optional<Diagnostic> error;  // the first (and only) error of this parse
};
struct state_tag;

/// Whitespace and `#` comments. Explicit character sets (not x3::space) so that bytes
/// >= 0x80 never reach the <cctype> classifiers.
inline const auto skipper = x3::char_(" \t\r\n\f\v") | x3::lexeme['#' >> *(~x3::char_('\n'))];
using skipper_type = std::remove_cv_t<decltype(skipper)>;

using skipper_context_type = x3::context<x3::skipper_tag, skipper_type const, x3::unused_type>;
using context_type = x3::context<state_tag, ParseState, skipper_context_type>;

}  // namespace cordon::parser
