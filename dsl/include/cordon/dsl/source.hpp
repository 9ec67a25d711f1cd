// Source texts and byte spans into them: every AST node and diagnostic points here.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cordon {

/// A half-open byte range [begin, end) in one source file of a SourceMap.
struct Span {
    std::uint32_t file = 0;
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
};

/// A 1-based line and column, computed only when a location is printed.
struct LineCol {
    int line = 1;
    int column = 1;
};

/// Every text the loader read (rule files, YAML files, requests), kept so that
/// diagnostics can quote the offending line. File ids are indices; 0 is "no file".
class SourceMap {
public:
    SourceMap();
    /// Registers a text under a display path; returns its file id.
    std::uint32_t add(std::string path, std::string text);
    const std::string& path(std::uint32_t file) const { return files_[file].path; }
    const std::string& text(std::uint32_t file) const { return files_[file].text; }
    std::size_t size() const { return files_.size(); }
    LineCol line_col(std::uint32_t file, std::uint32_t offset) const;
    /// The whole line holding `offset`, without its newline.
    std::string_view line_text(std::uint32_t file, std::uint32_t offset) const;
    /// The byte offset of a 0-based line and column (as yaml-cpp reports them).
    std::uint32_t offset_of(std::uint32_t file, int line0, int column0) const;

private:
    struct File {
        std::string path;
        std::string text;
        std::vector<std::uint32_t> line_starts;
    };
    std::vector<File> files_;
};

}  // namespace cordon
