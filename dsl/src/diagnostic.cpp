// Diagnostics: collection, ordering, rendering with carets, and "did you mean" hints.
#include "cordon/dsl/diagnostic.hpp"

#include <algorithm>
#include <fmt/format.h>
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
        const auto line = sources.line_text(d.span.file, d.span.begin);
        std::string gutter = fmt::format("{:>5} | ", lc.line);
        out += gutter;
        out += line;
        out += '\n';
        std::string pad(gutter.size() - 2, ' ');
        pad += "| ";
        for (int i = 1; i < lc.column && static_cast<std::size_t>(i - 1) < line.size(); ++i)
            pad += line[i - 1] == '\t' ? '\t' : ' ';
        const auto avail = line.size() >= static_cast<std::size_t>(lc.column - 1)
                               ? line.size() - static_cast<std::size_t>(lc.column - 1) : 0;
        std::size_t len = d.span.end > d.span.begin ? d.span.end - d.span.begin : 1;
        len = std::max<std::size_t>(1, std::min(len, std::max<std::size_t>(avail, 1)));
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
std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}
}  // namespace

std::string nearest_name(const std::string& name, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_d = std::max<std::size_t>(2, name.size() / 3) + 1;
    for (const auto& c : candidates) {
        const auto d = edit_distance(name, c);
        if (d < best_d || (d == best_d && !best.empty() && c < best)) {
            if (d < best_d) best_d = d;
            best = c;
        }
    }
    return best;
}

}  // namespace cordon
