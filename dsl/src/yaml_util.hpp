// Shared plumbing for the YAML loaders: reading files into the SourceMap, parsing
// YAML without letting yaml-cpp exceptions escape, and spans/messages for nodes.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "cordon/dsl/diagnostic.hpp"
#include "cordon/dsl/source.hpp"

namespace cordon::detail {

/// Reads `path` and registers it in `sources`; on failure adds a kIo error naming the
/// path and returns nullopt.
std::optional<std::uint32_t> read_source(const std::string& path, SourceMap& sources, Diagnostics& diags);

/// Parses the YAML text of `file`. Malformed YAML becomes a `code` error at yaml-cpp's mark.
std::optional<YAML::Node> parse_yaml(const SourceMap& sources, std::uint32_t file, const char* code,
                                     Diagnostics& diags);

/// The span of a node: from its mark to the end of its token (a scalar, a quoted
/// string, a flow collection) or to the end of its first line. Nodes without a mark
/// (implicit nulls, whose mark is the *next* token) get `fallback`.
Span span_of(const SourceMap& sources, std::uint32_t file, const YAML::Node& node, Span fallback);
/// The first line of a file, for diagnostics that belong to the file as a whole.
Span file_start(const SourceMap& sources, std::uint32_t file);

/// The file name (no directories) used to prefix messages: "schema.yaml: ...".
std::string display_name(const SourceMap& sources, std::uint32_t file);
/// "a map", "a list", "a scalar", "nothing": for "expected X, found Y" messages.
const char* describe(const YAML::Node& node);
/// [A-Za-z_][A-Za-z0-9_]*
bool is_identifier(std::string_view s);
/// A plain (unquoted, non-block) scalar: the only kind that may be a number, bool or date.
bool is_plain_scalar(const YAML::Node& node);

/// Accumulates errors for one file with the "file: key.path: message" prefix.
class Reporter {
public:
    Reporter(const SourceMap& sources, std::uint32_t file, const char* code, Diagnostics& diags)
        : sources_(sources), file_(file), code_(code), diags_(diags),
          name_(display_name(sources, file)), start_(file_start(sources, file)),
          start_errors_(diags.error_count()) {}

    /// `path` may be empty for errors about the whole document. `code` replaces the file's
    /// own code (a limit is diag::kLimit wherever it is met).
    void error(Span span, std::string_view path, std::string_view message, std::string hint = {},
               const char* code = nullptr);
    Span span(const YAML::Node& node, Span fallback) const { return span_of(sources_, file_, node, fallback); }
    /// The file's first line, worked out once: it is every key's fallback span, and a file
    /// on one line would otherwise be scanned once per key.
    Span start() const { return start_; }
    bool failed() const { return diags_.error_count() > start_errors_; }
    std::size_t errors() const { return diags_.error_count(); }
    std::uint32_t file() const { return file_; }

private:
    const SourceMap& sources_;
    std::uint32_t file_;
    const char* code_;
    Diagnostics& diags_;
    std::string name_;
    Span start_;
    std::size_t start_errors_;
};

}  // namespace cordon::detail
