// JSON string escaping and number formatting for hand-written JSON output.
#include "cordon/engine/json_text.hpp"

#include <cmath>
#include <fmt/format.h>

#include "cordon/dsl/text.hpp"

namespace cordon {

namespace {

// True for the bytes that JSON text may hold as they are: printable ASCII except `"` and `\`.
constexpr bool plain_json_byte(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    std::size_t i = 0;
    while (i < s.size()) {
        // Copy the longest run of bytes that need no escaping in one append.
        std::size_t run = i;
        while (run < s.size() && plain_json_byte(static_cast<unsigned char>(s[run]))) ++run;
        out.append(s.data() + i, run - i);
        if (run == s.size()) break;
        i = run;
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            // JSON text is UTF-8: a byte that does not start a well-formed sequence
            // becomes U+FFFD, so the output parses whatever the input held.
            if (const std::size_t n = utf8_sequence(s, i)) {
                out.append(s.data() + i, n);
                i += n;
            } else {
                out += "\\ufffd";
                ++i;
            }
            continue;
        }
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default: out += fmt::format("\\u{:04x}", c);
        }
        ++i;
    }
    out += '"';
}

std::string printable(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            const std::size_t n = utf8_sequence(s, i);
            if (n == 0) {
                out += fmt::format("\\x{:02x}", c);
            } else if (n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) {
                out += fmt::format("\\u{:04x}", static_cast<unsigned char>(s[i + 1]));  // C1 control
                ++i;
            } else {
                out.append(s.data() + i, n);
                i += n - 1;
            }
            continue;
        }
        switch (c) {
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20 || c == 0x7F) out += fmt::format("\\x{:02x}", c);
                else out += static_cast<char>(c);
        }
    }
    return out;
}

void append_json_number(std::string& out, double v) {
    if (!std::isfinite(v)) {
        out += "null";
        return;
    }
    if (v == std::floor(v) && std::fabs(v) < 1e15) {
        fmt::format_to(std::back_inserter(out), "{}", static_cast<long long>(v));
        return;
    }
    fmt::format_to(std::back_inserter(out), "{}", v);
}

}  // namespace cordon
