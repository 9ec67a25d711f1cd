// The messages behind simdjson's error codes: what is wrong, where, with a short excerpt.
#include "io/json_problem.hpp"

#include <fmt/format.h>

#include "cordon/dsl/text.hpp"

namespace cordon::detail {

namespace {
constexpr std::size_t kExcerpt = 40;

bool hex4(std::string_view s, std::size_t at, unsigned& v) {
    if (at + 4 > s.size()) return false;
    v = 0;
    for (std::size_t k = at; k < at + 4; ++k) {
        const char c = s[k];
        const unsigned d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 16u;
        if (d == 16) return false;
        v = v * 16 + d;
    }
    return true;
}
}  // namespace

std::string string_problem(std::string_view raw) {
    if (raw.empty() || raw.front() != '"') return "malformed JSON string";
    for (std::size_t i = 1; i < raw.size(); ++i) {
        const auto c = static_cast<unsigned char>(raw[i]);
        if (c == '"') break;
        if (c < 0x20)
            return fmt::format("malformed JSON string: a control character (byte 0x{:02X}) must be written as an "
                               "escape such as \\n or \\u00{:02x}",
                               c, c);
        if (c != '\\') continue;
        const char e = i + 1 < raw.size() ? raw[i + 1] : '\0';
        if (e == 'u') {
            unsigned v = 0;
            if (!hex4(raw, i + 2, v))
                return fmt::format("malformed JSON string: `{}` is not an escape: \\u takes four hex digits",
                                   clip(raw.substr(i, 6), 6));
            unsigned low = 0;
            const bool pair = v >= 0xD800 && v <= 0xDBFF && i + 7 < raw.size() && raw[i + 6] == '\\' &&
                              raw[i + 7] == 'u' && hex4(raw, i + 8, low) && low >= 0xDC00 && low <= 0xDFFF;
            if (v >= 0xDC00 && v <= 0xDFFF)
                return fmt::format("malformed JSON string: `{}` is a lone low surrogate (it must follow a "
                                   "\\uD800-\\uDBFF escape)",
                                   raw.substr(i, 6));
            if (v >= 0xD800 && v <= 0xDBFF && !pair)
                return fmt::format("malformed JSON string: `{}` is a lone surrogate (it must be followed by a "
                                   "\\uDC00-\\uDFFF escape)",
                                   raw.substr(i, 6));
            i += pair ? 11 : 5;
            continue;
        }
        if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos || e == '\0')
            return fmt::format("malformed JSON string: `\\{}` is not a JSON escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t "
                               "\\uXXXX)",
                               clip(raw.substr(i + 1, utf8_sequence(raw, i + 1) ? utf8_sequence(raw, i + 1) : 1)));
        ++i;
    }
    return fmt::format("malformed JSON string `{}`", clip(raw, kExcerpt));
}

std::string document_problem(std::string_view text, std::string_view error) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        return "malformed JSON: the text starts with a UTF-8 byte-order mark (bytes EF BB BF); save it without one";
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return text.empty() ? "the request is empty (no JSON text)" : "the request holds only white space (no JSON text)";
    if (const auto bad = first_invalid_utf8(text))
        return fmt::format("malformed JSON: the text is not valid UTF-8 (byte 0x{:02X} at byte offset {})",
                           static_cast<unsigned char>(text[*bad]), *bad);
    return fmt::format("malformed JSON: {}", error);
}

std::string number_problem(std::string_view raw) {
    while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' || raw.back() == '\r'))
        raw.remove_suffix(1);
    return fmt::format("number `{}` is out of range (a number is at most about 1.8e308 in size)", clip(raw, kExcerpt));
}

}  // namespace cordon::detail
