// Unicode folding of names before screening (see fold_name_text in screening.hpp): what
// makes U+200B, U+00AD, U+2002, full-width letters and Cyrillic look-alikes match.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <utf8proc.h>

#include "cordon/screening/screening.hpp"

namespace cordon {

namespace {

using cp_t = utf8proc_int32_t;

void append_cp(std::string& out, cp_t c) {
    utf8proc_uint8_t buf[4];
    const auto n = utf8proc_encode_char(c, buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

// Calls `f(code point)` for each code point of `s`; a byte that does not start a
// well-formed sequence is U+FFFD (and only that byte is consumed).
template <typename F>
void each_cp(std::string_view s, F f) {
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
    std::size_t i = 0;
    while (i < s.size()) {
        cp_t c = 0;
        auto n = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(s.size() - i), &c);
        if (n <= 0 || c < 0) {
            c = 0xFFFD;
            n = 1;
        }
        f(c);
        i += static_cast<std::size_t>(n);
    }
}

bool is_space_like(cp_t c) {
    switch (utf8proc_category(c)) {
        case UTF8PROC_CATEGORY_ZS:
        case UTF8PROC_CATEGORY_ZL:
        case UTF8PROC_CATEGORY_ZP:
        case UTF8PROC_CATEGORY_CC: return true;
        default: return false;
    }
}

bool is_punctuation_or_symbol(cp_t c) {
    const auto cat = utf8proc_category(c);
    return cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_SO;  // Pc Pd Ps Pe Pi Pf Po Sm Sc Sk So
}

// The Latin letter a Cyrillic or Greek letter (after case folding) is drawn like, in its
// capital or small form; 0 for any other code point. Both sides of a match are mapped, so
// a name written in Cyrillic still matches the same name on a list.
cp_t latin_lookalike(cp_t c) {
    switch (c) {
        // Cyrillic а в е к м н о р с т у х ѕ і ј һ ԁ ԛ ԝ
        case 0x0430: return 'a';
        case 0x0432: return 'b';
        case 0x0435: return 'e';
        case 0x043A: return 'k';
        case 0x043C: return 'm';
        case 0x043D: return 'h';
        case 0x043E: return 'o';
        case 0x0440: return 'p';
        case 0x0441: return 'c';
        case 0x0442: return 't';
        case 0x0443: return 'y';
        case 0x0445: return 'x';
        case 0x0455: return 's';
        case 0x0456: return 'i';
        case 0x0458: return 'j';
        case 0x04BB: return 'h';
        case 0x0501: return 'd';
        case 0x051B: return 'q';
        case 0x051D: return 'w';
        // Greek α β ε ζ η ι κ μ ν ο ρ τ υ χ
        case 0x03B1: return 'a';
        case 0x03B2: return 'b';
        case 0x03B5: return 'e';
        case 0x03B6: return 'z';
        case 0x03B7: return 'h';
        case 0x03B9: return 'i';
        case 0x03BA: return 'k';
        case 0x03BC: return 'm';
        case 0x03BD: return 'n';
        case 0x03BF: return 'o';
        case 0x03C1: return 'p';
        case 0x03C4: return 't';
        case 0x03C5: return 'y';
        case 0x03C7: return 'x';
        default: return 0;
    }
}

std::string spaces_folded(std::string_view folded);

// Appends a space unless `out` is empty or already ends in one (runs fold to one space).
void append_space(std::string& out) {
    if (!out.empty() && out.back() != ' ') out += ' ';
}

}  // namespace

std::size_t invalid_utf8_at(std::string_view s) {
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
    std::size_t i = 0;
    while (i < s.size()) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        cp_t c = 0;
        const auto n = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(s.size() - i), &c);
        if (n <= 0 || c < 0) return i;
        i += static_cast<std::size_t>(n);
    }
    return std::string_view::npos;
}

bool is_valid_utf8(std::string_view s) { return invalid_utf8_at(s) == std::string_view::npos; }

std::string fold_name_text(std::string_view name) {
    // ASCII text has no format characters or marks and is its own NFKC; case is folded by the
    // tokenizer. Only its spaces and controls need step 3 (most list names take this path).
    const bool ascii = std::all_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii) return spaces_folded(name);
    // 1. Drop format characters (Cf: U+200B, U+00AD, U+200D, U+2060, U+FEFF, ...) before
    //    composing, so that a letter and its accent split by one still compose.
    std::string plain;
    plain.reserve(name.size());
    each_cp(name, [&](cp_t c) {
        if (utf8proc_category(c) != UTF8PROC_CATEGORY_CF) append_cp(plain, c);
    });
    // 2. NFKC with case folding (full-width and other compatibility forms, ligatures), and
    //    every combining mark removed: accents (Müller = Muller), and marks stacked on a
    //    letter to make it look the same but compare different (U+0336 overlay, U+0301).
    utf8proc_uint8_t* mapped = nullptr;
    const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(plain.data()),
                                static_cast<utf8proc_ssize_t>(plain.size()), &mapped,
                                static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                                               UTF8PROC_CASEFOLD | UTF8PROC_IGNORE |
                                                               UTF8PROC_STRIPMARK));
    std::string folded;
    if (n >= 0 && mapped) folded.assign(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(n));
    else folded = plain;  // cannot happen for the valid UTF-8 of step 1; keep the text rather than drop it
    std::free(mapped);
    return spaces_folded(folded);
}

namespace {

// Step 3 of fold_name_text, on text already through steps 1 and 2 (or plain ASCII).
std::string spaces_folded(std::string_view folded) {
    // 3. Spaces, punctuation, apostrophes and look-alike letters.
    std::string out;
    out.reserve(folded.size());
    each_cp(folded, [&](cp_t c) {
        if (c < 0x80) {
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c < 0x20 || c == 0x7F)
                append_space(out);
            else
                out += static_cast<char>(c);
        } else if (utf8proc_category(c) == UTF8PROC_CATEGORY_CF) {
            // dropped (NFKC never makes one, but cheap to be sure)
        } else if (c == 0x2018 || c == 0x2019 || c == 0x02BC || c == 0x2032) {
            out += '\'';  // quotation marks and primes used as apostrophes
        } else if (is_space_like(c) || is_punctuation_or_symbol(c)) {
            append_space(out);
        } else if (const cp_t latin = latin_lookalike(c)) {
            out += static_cast<char>(latin);
        } else {
            append_cp(out, c);
        }
    });
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

}  // namespace

}  // namespace cordon
