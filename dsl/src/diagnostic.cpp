// Diagnostics: collection, ordering, rendering with carets, and "did you mean" hints.
#include "cordon/dsl/diagnostic.hpp"

#include "cordon/dsl/text.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <string_view>
#include <tuple>

namespace cordon {

namespace {
constexpr std::size_t kMaxDiagnostics = 50;

const char* severity_word(Severity s) {
    switch (s) {
        case Severity::Error: return "error";
        case Severity::Warning: return "warning";
        case Severity::Note: return "note";
    }
    return "error";
}
// A source line as a diagnostic shows it: whole up to kLineWhole bytes, else at most
// kLineWindow bytes around the column, with "..." where it was cut (a line of megabytes,
// minified YAML, is not printed whole); and what goes before the caret so that it lines up.
constexpr std::size_t kLineWhole = 120;
constexpr std::size_t kLineWindow = 80;

struct ShownLine {
    std::string text;    // the line, cut
    std::string before;  // blanks (tabs where the line has them) up to the column
    std::size_t after = 0;  // bytes from the column to the end of what is shown
};

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

ShownLine clip_line(std::string_view line, std::size_t col) {
    col = std::min(col, line.size());
    std::size_t begin = 0, end = line.size();
    if (line.size() > kLineWhole) {
        begin = col > kLineWindow / 2 ? col - kLineWindow / 2 : 0;
        end = std::min(line.size(), begin + kLineWindow);
        begin = end - std::min(end, kLineWindow);
        while (begin > 0 && continuation(line[begin])) --begin;
        while (end < line.size() && continuation(line[end])) ++end;
    }
    ShownLine s;
    if (begin > 0) s.text = "...";
    s.before.assign(begin > 0 ? 3 : 0, ' ');
    // Bytes that are not UTF-8 and control characters (but tabs) are shown as U+FFFD, so
    // the line prints as text; one blank per character (not per byte) goes before the caret.
    for (std::size_t i = begin; i < end;) {
        const auto c = static_cast<unsigned char>(line[i]);
        std::size_t n = utf8_sequence(line, i);
        if (n == 0 || (c < 0x20 && c != '\t') || c == 0x7F) {
            s.text += "\xEF\xBF\xBD";
            n = 1;
        } else {
            s.text.append(line.substr(i, n));
        }
        if (i < col) s.before += c == '\t' ? '\t' : ' ';
        i += n;
    }
    if (end < line.size()) s.text += "...";
    s.after = end > col ? end - col : 1;
    return s;
}

}  // namespace

void Diagnostics::add(Diagnostic d) {
    if (d.severity == Severity::Error) ++errors_;
    if (items_.size() < kMaxDiagnostics) items_.push_back(std::move(d));
}

void Diagnostics::error(const char* code, Span span, std::string message, std::string hint) {
    add(Diagnostic{Severity::Error, code, span, std::move(message), std::move(hint)});
}

void Diagnostics::warning(const char* code, Span span, std::string message, std::string hint) {
    add(Diagnostic{Severity::Warning, code, span, std::move(message), std::move(hint)});
}

void Diagnostics::append(const Diagnostics& other) {
    for (const auto& d : other.items_) add(d);
    // Count errors that were dropped by the cap in `other` as well.
    const auto shown = static_cast<std::size_t>(std::count_if(
        other.items_.begin(), other.items_.end(),
        [](const Diagnostic& d) { return d.severity == Severity::Error; }));
    errors_ += other.errors_ - shown;
}

void Diagnostics::sort_and_dedupe() {
    auto key = [](const Diagnostic& d) {
        return std::tie(d.span.file, d.span.begin, d.span.end, d.code, d.message);
    };
    std::stable_sort(items_.begin(), items_.end(),
                     [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
    items_.erase(std::unique(items_.begin(), items_.end(),
                             [&](const Diagnostic& a, const Diagnostic& b) { return key(a) == key(b); }),
                 items_.end());
}

std::string render(const Diagnostic& d, const SourceMap& sources, bool colour) {
    const char* bold = colour ? "\x1b[1m" : "";
    const char* reset = colour ? "\x1b[0m" : "";
    const char* sev_colour = !colour ? "" : d.severity == Severity::Error ? "\x1b[1;31m"
                                        : d.severity == Severity::Warning ? "\x1b[1;33m"
                                                                          : "\x1b[1;36m";
    const char* caret_colour = colour ? "\x1b[1;32m" : "";
    std::string out;
    if (d.span.file != 0) {
        const auto lc = sources.line_col(d.span.file, d.span.begin);
        out += fmt::format("{}{}:{}:{}: {}", bold, sources.path(d.span.file), lc.line, lc.column, reset);
        out += fmt::format("{}{}[{}]:{} {}{}{}\n", sev_colour, severity_word(d.severity), d.code, reset,
                           bold, d.message, reset);
        const auto full = sources.line_text(d.span.file, d.span.begin);
        const auto shown = clip_line(full, static_cast<std::size_t>(lc.column - 1));
        std::string gutter = fmt::format("{:>5} | ", lc.line);
        out += gutter;
        out += shown.text;
        out += '\n';
        std::string pad(gutter.size() - 2, ' ');
        pad += "| ";
        pad += shown.before;
        std::size_t len = d.span.end > d.span.begin ? d.span.end - d.span.begin : 1;
        len = std::max<std::size_t>(1, std::min(len, shown.after));
        out += pad + caret_colour + "^" + std::string(len - 1, '~') + reset + '\n';
    } else {
        out += fmt::format("{}{}[{}]:{} {}{}{}\n", sev_colour, severity_word(d.severity), d.code, reset,
                           bold, d.message, reset);
    }
    if (!d.hint.empty()) out += fmt::format("  = help: {}\n", d.hint);
    return out;
}

std::string render_all(const Diagnostics& ds, const SourceMap& sources, bool colour) {
    std::string out;
    for (const auto& d : ds.items()) out += render(d, sources, colour);
    return out;
}

namespace {
constexpr std::size_t kMaxSuggestedName = 64;          // longer names get no suggestion
constexpr std::size_t kSuggestionBudget = 4'000'000;   // table cells per nearest_name call

// The edit distance of `a` and `b`, or `bound + 1` once it is sure to exceed `bound`
// (every cell of a row above it: later rows only grow). Adds the cells it filled to `cells`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t bound, std::size_t& cells) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        std::size_t row_min = cur[0];
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
            row_min = std::min(row_min, cur[j]);
        }
        cells += b.size();
        std::swap(prev, cur);
        if (row_min > bound) return bound + 1;
    }
    return prev[b.size()];
}
}  // namespace

bool Diagnostics::full() const { return items_.size() >= kMaxDiagnostics; }

std::string name_list(const std::vector<std::string>& names, std::size_t shown) {
    if (names.size() <= shown) return fmt::format("{}", fmt::join(names, ", "));
    return fmt::format("{}, and {} more", fmt::join(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(shown), ", "),
                       names.size() - shown);
}

std::string nearest_name(std::string_view name, const std::vector<std::string>& candidates) {
    std::string best;
    if (name.size() > kMaxSuggestedName) return best;
    std::size_t best_d = std::max<std::size_t>(2, name.size() / 3) + 1;
    std::size_t cells = 0;
    for (const auto& c : candidates) {
        if (cells > kSuggestionBudget) break;
        // The distance is at least the difference in length: such a candidate cannot win.
        const std::size_t gap = c.size() > name.size() ? c.size() - name.size() : name.size() - c.size();
        if (gap > best_d) continue;
        const auto d = edit_distance(name, c, best_d, cells);
        if (d < best_d || (d == best_d && !best.empty() && c < best)) {
            if (d < best_d) best_d = d;
            best = c;
        }
    }
    return best;
}

}  // namespace cordon
