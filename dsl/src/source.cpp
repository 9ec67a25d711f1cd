// SourceMap: the texts behind every span, and line/column arithmetic over them.
#include "cordon/dsl/source.hpp"

#include <algorithm>

namespace cordon {

SourceMap::SourceMap() { files_.push_back(File{"<none>", "", {0}}); }

std::uint32_t SourceMap::add(std::string path, std::string text) {
    File f{std::move(path), std::move(text), {0}};
    for (std::uint32_t i = 0; i < f.text.size(); ++i)
        if (f.text[i] == '\n') f.line_starts.push_back(i + 1);
    files_.push_back(std::move(f));
    return static_cast<std::uint32_t>(files_.size() - 1);
}

LineCol SourceMap::line_col(std::uint32_t file, std::uint32_t offset) const {
    if (file >= files_.size()) return {};
    const auto& starts = files_[file].line_starts;
    auto it = std::upper_bound(starts.begin(), starts.end(), offset);
    const auto line = static_cast<int>(it - starts.begin());  // 1-based
    return {line, static_cast<int>(offset - starts[line - 1]) + 1};
}

std::string_view SourceMap::line_text(std::uint32_t file, std::uint32_t offset) const {
    if (file >= files_.size()) return {};
    const auto& f = files_[file];
    offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(f.text.size()));
    auto it = std::upper_bound(f.line_starts.begin(), f.line_starts.end(), offset);
    const std::uint32_t begin = *(it - 1);
    std::uint32_t end = begin;
    while (end < f.text.size() && f.text[end] != '\n' && f.text[end] != '\r') ++end;
    return std::string_view(f.text).substr(begin, end - begin);
}

std::uint32_t SourceMap::offset_of(std::uint32_t file, int line0, int column0) const {
    if (file >= files_.size() || line0 < 0) return 0;
    const auto& f = files_[file];
    if (static_cast<std::size_t>(line0) >= f.line_starts.size())
        return static_cast<std::uint32_t>(f.text.size());
    const auto off = f.line_starts[line0] + static_cast<std::uint32_t>(std::max(column0, 0));
    return std::min<std::uint32_t>(off, static_cast<std::uint32_t>(f.text.size()));
}

}  // namespace cordon
