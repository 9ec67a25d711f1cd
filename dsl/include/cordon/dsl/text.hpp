// Checks and cuts on text from files and requests: UTF-8 validity, short excerpts, and
// messages for exceptions (yaml-cpp, allocation) that name the problem, not the class.
#pragma once
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include "cordon/dsl/diagnostic.hpp"

namespace cordon {

/// The length of the well-formed UTF-8 sequence starting at s[i], or 0 when s[i] does
/// not start one (a stray continuation byte, an overlong form, a surrogate, a code point
/// above U+10FFFF, a sequence cut short). An ASCII byte is a sequence of length 1.
std::size_t utf8_sequence(std::string_view s, std::size_t i);

/// The offset of the first byte of `s` that is not part of well-formed UTF-8, if any.
std::optional<std::size_t> first_invalid_utf8(std::string_view s);

/// Adds error E0307 at the first byte of source `file` that is not UTF-8 (naming its
/// line, column and byte offset) and returns false; true when the whole text is UTF-8.
bool require_utf8(const SourceMap& sources, std::uint32_t file, Diagnostics& diags);

/// At most `max` bytes of `text`, cut at a character boundary, with "..." when cut:
/// for messages that quote a key, a value or a token of unbounded length.
std::string clip(std::string_view text, std::size_t max = 80);

/// What went wrong, for an exception from a YAML load: "nested more than N levels deep"
/// for yaml-cpp's recursion guard (whose own text is "bad file"), "out of memory" for
/// std::bad_alloc, yaml-cpp's message without its position otherwise.
std::string yaml_problem(const std::exception& e);

}  // namespace cordon
