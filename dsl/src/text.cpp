// UTF-8 checks, excerpts, and messages for exceptions from the YAML reader.
#include "cordon/dsl/text.hpp"

#include <cstdlib>
#include <fmt/format.h>
#include <new>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

namespace cordon {

std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    const auto b = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
    const unsigned c = b(0);
    const auto cont = [&](std::size_t k) { return (b(k) & 0xC0u) == 0x80u; };
    if (i >= s.size()) return 0;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        const unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        return b(1) >= lo && b(1) <= hi && cont(2) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        const unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        return b(1) >= lo && b(1) <= hi && cont(2) && cont(3) ? 4 : 0;
    }
    return 0;
}

std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        const std::size_t n = utf8_sequence(s, i);
        if (n == 0) return i;
        i += n;
    }
    return std::nullopt;
}

bool require_utf8(const SourceMap& sources, std::uint32_t file, Diagnostics& diags) {
    const auto bad = first_invalid_utf8(sources.text(file));
    if (!bad) return true;
    const auto at = static_cast<std::uint32_t>(*bad);
    const auto byte = static_cast<unsigned char>(sources.text(file)[at]);
    diags.error(diag::kNotUtf8, Span{file, at, at + 1},
                fmt::format("the text is not valid UTF-8: byte 0x{:02X} at byte offset {} does not start a "
                            "well-formed UTF-8 character",
                            byte, at),
                "save the file as UTF-8 (policy files, data and test files are UTF-8 text)");
    return false;
}

std::string clip(std::string_view text, std::size_t max) {
    if (text.size() <= max) return std::string(text);
    while (max > 0 && (static_cast<unsigned char>(text[max]) & 0xC0) == 0x80) --max;
    return std::string(text.substr(0, max)) + "...";
}

std::string yaml_problem(const std::exception& e) {
    if (const auto* deep = dynamic_cast<const YAML::DeepRecursion*>(&e))
        return fmt::format("nested too deeply: the YAML reader stops at {} levels of nested lists and maps",
                           deep->depth());
    if (dynamic_cast<const std::bad_alloc*>(&e)) return "out of memory while reading the YAML";
    if (const auto* y = dynamic_cast<const YAML::Exception*>(&e)) {
        // yaml-cpp says "invalid unicode: 55296" for an escape such as "\ud800".
        constexpr std::string_view kInvalid = "invalid unicode: ";
        if (y->msg.rfind(kInvalid, 0) == 0) {
            const auto code = std::strtoul(y->msg.c_str() + kInvalid.size(), nullptr, 10);
            return fmt::format("the escape for U+{:04X} is not a character: {} (a \\u or \\U escape must name a "
                               "Unicode character; a surrogate pair is written as one \\U escape)",
                               code, code >= 0xD800 && code <= 0xDFFF ? "a lone surrogate" : "out of range");
        }
        return y->msg;
    }
    return e.what();
}

}  // namespace cordon
