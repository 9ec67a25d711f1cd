// What is wrong with a JSON request, in words: the messages behind simdjson's error codes.
#pragma once
#include <string>
#include <string_view>

namespace cordon::detail {

/// Why the raw JSON string token `raw` (quotes included) cannot be read: a lone
/// surrogate (`\ud800`), an unknown escape (`\x`), a `\u` without four hex digits, a
/// control character, a missing closing quote. Quotes at most a short excerpt.
std::string string_problem(std::string_view raw);

/// Why the request text `text` is not a JSON document, for simdjson's `error` (its
/// message): empty, a UTF-8 byte-order mark, bytes that are not UTF-8 (with the offset).
std::string document_problem(std::string_view text, std::string_view error);

/// Why the number token `raw` cannot be read as a finite double: out of range.
std::string number_problem(std::string_view raw);

}  // namespace cordon::detail
