// JSON checks shared by the request decoder (decode.cpp) and the schema-free request
// reader (json_tree.cpp), so that both refuse the same atoms with the same words. Internal
// linkage on purpose: decode.cpp is built for AVX2, the reader is not.
#pragma once
#include <cctype>
#include <cstddef>
#include <fmt/format.h>
#include <string>
#include <string_view>

namespace cordon {
namespace {

// "8388608 bytes (8 MiB)": a byte count, with its size in KiB or MiB when it is exact.
inline std::string bytes_text(std::size_t n) {
    if (n >= (1u << 20) && n % (1u << 20) == 0) return fmt::format("{} bytes ({} MiB)", n, n >> 20);
    if (n >= (1u << 10) && n % (1u << 10) == 0) return fmt::format("{} bytes ({} KiB)", n, n >> 10);
    return fmt::format("{} bytes", n);
}

// True when `raw` (a token up to the next structural character, trailing space included)
// is exactly one JSON literal or number (RFC 8259). simdjson types an atom by its first byte
// only, so `nope` would be null and `tXYZ` a boolean; this reads every byte, allocating nothing.
inline bool well_formed_atom(std::string_view raw) {
    while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' || raw.back() == '\r'))
        raw.remove_suffix(1);
    if (raw == "null" || raw == "true" || raw == "false") return true;
    std::size_t i = 0;
    const std::size_t n = raw.size();
    const auto digits = [&] {
        const std::size_t from = i;
        while (i < n && raw[i] >= '0' && raw[i] <= '9') ++i;
        return i > from;
    };
    if (i < n && raw[i] == '-') ++i;
    if (i < n && raw[i] == '0') ++i;
    else if (i >= n || raw[i] < '1' || raw[i] > '9' || !digits()) return false;
    if (i < n && raw[i] == '.' && (++i, !digits())) return false;
    if (i < n && (raw[i] == 'e' || raw[i] == 'E')) {
        ++i;
        if (i < n && (raw[i] == '+' || raw[i] == '-')) ++i;
        if (!digits()) return false;
    }
    return i == n;
}

// At most `max` bytes of `text`, cut at a UTF-8 character boundary, with "..." when cut.
inline std::string excerpt(std::string_view text, std::size_t max = 24) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    if (text.size() <= max) return std::string(text);
    while (max > 0 && (static_cast<unsigned char>(text[max]) & 0xC0) == 0x80) --max;
    return std::string(text.substr(0, max)) + "...";
}

// The messages both readers give for the same fault.
inline std::string malformed_value_message(std::string_view raw) {
    return fmt::format("malformed JSON value `{}` (not null, true, false, a number or a string)", excerpt(raw));
}
inline std::string too_deep_message(int limit) {
    return fmt::format("nested more than {} levels deep (the limit)", limit);
}
inline std::string too_long_message(std::size_t size, std::size_t limit) {
    return fmt::format("string of {} bytes is longer than the limit of {}", size, bytes_text(limit));
}
inline std::string too_many_elements_message(std::size_t limit) {
    return fmt::format("list has more than {} elements (the limit)", limit);
}
inline std::string too_big_message(std::size_t size, std::size_t limit) {
    return fmt::format("request is {} bytes, more than the limit of {}", size, bytes_text(limit));
}
// For a document that is JSON but not an object; `text` is the whole request.
inline std::string not_an_object_message(std::string_view text) {
    const auto start = text.find_first_not_of(" \t\r\n");
    return fmt::format("malformed JSON: a request must be a JSON object {{...}}, found `{}`",
                       start == std::string_view::npos ? std::string() : excerpt(text.substr(start)));
}
inline constexpr const char* kNotClosedMessage =
    "malformed JSON: the request object is not closed, or has trailing content after it";
// For a document that begins with `{` but is not an object simdjson can read (`error`):
// unclosed or followed by more, when its last character is not `}`.
inline std::string unread_object_message(std::string_view text, const char* error) {
    // (Never npos: the text holds a `{`.)
    if (text[text.find_last_not_of(" \t\r\n")] != '}') return kNotClosedMessage;
    return fmt::format("malformed JSON: {}", error);
}
inline constexpr const char* kTrailingMessage = "malformed JSON: trailing content after the request object";
inline constexpr const char* kGivenTwiceMessage = "field given twice";

}  // namespace
}  // namespace cordon
