// Shared plumbing for the YAML loaders (see yaml_util.hpp).
#include "yaml_util.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>

#include <fmt/format.h>

#include "cordon/dsl/limits.hpp"
#include "cordon/dsl/text.hpp"
#include "cordon/dsl/yaml_aliases.hpp"

namespace cordon::detail {

std::optional<std::uint32_t> read_source(const std::string& path, SourceMap& sources, Diagnostics& diags) {
    std::error_code ec;
    const auto type = std::filesystem::status(path, ec).type();  // (links followed)
    if (type == std::filesystem::file_type::directory) {
        diags.error(diag::kIo, Span{}, fmt::format("cannot read {}: it is a directory", path));
        return std::nullopt;
    }
    // A device or pipe (`use sets from "/dev/zero"`) would never end or block: only
    // regular files (or links to them) are data.
    if (type != std::filesystem::file_type::not_found && type != std::filesystem::file_type::none &&
        type != std::filesystem::file_type::regular) {
        diags.error(diag::kIo, Span{}, fmt::format("cannot read {}: not a regular file", path));
        return std::nullopt;
    }
    if (const auto size = std::filesystem::file_size(path, ec); !ec && size > kYamlFileBytes) {
        diags.error(diag::kLimit, Span{},
                    fmt::format("cannot read {}: the file is {} bytes, more than the limit of {} bytes ({} MiB) for a "
                                "YAML file; it is not read",
                                path, size, kYamlFileBytes, kYamlFileBytes >> 20));
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        diags.error(diag::kIo, Span{}, fmt::format("cannot read {}: {}", path, std::strerror(errno)));
        return std::nullopt;
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) {
        diags.error(diag::kIo, Span{}, fmt::format("cannot read {}: read error", path));
        return std::nullopt;
    }
    const auto file = sources.add(path, buf.str());
    // Bytes that are not UTF-8 would reach decisions and JSON output: refuse them here.
    if (!require_utf8(sources, file, diags)) return std::nullopt;
    return file;
}

Span file_start(const SourceMap& sources, std::uint32_t file) {
    const auto first = sources.line_text(file, 0);
    return Span{file, 0, static_cast<std::uint32_t>(first.size())};
}

namespace {
// yaml-cpp 0.7 ends a plain scalar at '?' inside flow collections, so the schema's own
// `{ count: number?, tpp: number? }` fails to parse although it is valid YAML. We hide
// such '?' behind a stand-in byte of the same width (so marks and offsets do not
// move) and put them back in every scalar after loading.
constexpr char kQuestionStandIn = '\x1a';

bool starts_token(const std::string& t, std::size_t i) {
    return i == 0 || t[i - 1] == ' ' || t[i - 1] == '\t' || t[i - 1] == '\n' || t[i - 1] == '\r' ||
           t[i - 1] == '[' || t[i - 1] == '{' || t[i - 1] == ',' || t[i - 1] == ':';
}

// Returns true when something was replaced. Quoted scalars and comments are left alone.
bool protect_question_marks(std::string& t) {
    if (t.find(kQuestionStandIn) != std::string::npos) return false;
    bool changed = false;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const char c = t[i];
        if ((c == '"' || c == '\'') && starts_token(t, i)) {
            for (++i; i < t.size(); ++i) {
                if (c == '"' && t[i] == '\\') { ++i; continue; }
                if (t[i] == c) {
                    if (c == '\'' && i + 1 < t.size() && t[i + 1] == '\'') { ++i; continue; }
                    break;
                }
            }
        } else if (c == '#' && (i == 0 || t[i - 1] == ' ' || t[i - 1] == '\t' || t[i - 1] == '\n')) {
            while (i < t.size() && t[i] != '\n') ++i;
        } else if (c == '?' && !starts_token(t, i)) {
            t[i] = kQuestionStandIn;
            changed = true;
        }
    }
    return changed;
}

void restore_question_marks(YAML::Node node, int depth) {
    if (depth > 256) return;  // aliases can make the graph deep; real files are shallow
    if (node.IsScalar()) {
        const auto& text = node.Scalar();
        if (text.find(kQuestionStandIn) == std::string::npos) return;
        std::string fixed = text;
        std::replace(fixed.begin(), fixed.end(), kQuestionStandIn, '?');
        node = fixed;  // keeps the node's mark and tag
    } else if (node.IsSequence()) {
        for (auto it = node.begin(); it != node.end(); ++it) restore_question_marks(*it, depth + 1);
    } else if (node.IsMap()) {
        for (auto it = node.begin(); it != node.end(); ++it) {
            restore_question_marks(it->first, depth + 1);
            restore_question_marks(it->second, depth + 1);
        }
    }
}
}  // namespace

// The offset of a second YAML document in `text`: a line starting with the marker `---`
// (or `...` then more content) after a line of content. A `---` before any content opens
// the first document. Comments, blank lines and directives (`%YAML`) are not content.
static std::optional<std::size_t> second_document_offset(std::string_view text) {
    auto marker = [](std::string_view line, std::string_view m) {
        return line.substr(0, 3) == m && (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
    };
    bool content = false, ended = false;
    for (std::size_t at = 0; at < text.size();) {
        std::size_t end = text.find('\n', at);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = text.substr(at, end - at);
        const auto first = line.find_first_not_of(" \t\r");
        const bool blank = first == std::string_view::npos || line[first] == '#';
        if (marker(line, "---")) {
            if (content || ended) return at;
            content = true;  // (`--- value` may carry content on the marker's line)
        } else if (marker(line, "...")) {
            ended = content;
        } else if (!blank && !(line[0] == '%' && !content)) {
            if (ended) return at;
            content = true;
        }
        at = end + 1;
    }
    return std::nullopt;
}

std::optional<YAML::Node> parse_yaml(const SourceMap& sources, std::uint32_t file, const char* code,
                                     Diagnostics& diags) {
    const auto name = display_name(sources, file);
    try {
        std::string text = sources.text(file);
        const bool protected_marks = protect_question_marks(text);
        // A second document would be silently ignored: refuse it. Found in the text (a
        // `---` or `...` marker at the start of a line after content), not with
        // YAML::LoadAll, which loops without end on input such as "," (yaml-cpp 0.7).
        if (const auto second = second_document_offset(text)) {
            const Span span{file, static_cast<std::uint32_t>(*second), static_cast<std::uint32_t>(*second)};
            diags.error(code, span, fmt::format("{}: more than one YAML document (a second `---`); a file holds one",
                                                name),
                        "remove the second document or move it to a file of its own");
            return std::nullopt;
        }
        YAML::Node doc = YAML::Load(text);
        // Aliases that multiply the document would make every walk below (and the loaders')
        // take forever: refused before any, at the first alias.
        if (const auto blowup = alias_blowup(doc, text)) {
            const auto off = sources.offset_of(file, blowup->line, blowup->column);
            diags.error(code, Span{file, off, off + 1},
                        fmt::format("{}: YAML aliases expand the document past {} nodes, more than its {} bytes "
                                    "hold written out; not loaded",
                                    name, blowup->limit, text.size()),
                        "write the repeated values out instead of aliasing them (`*name`)");
            return std::nullopt;
        }
        if (protected_marks) restore_question_marks(doc, 0);
        return doc;
    } catch (const YAML::Exception& e) {
        Span span = file_start(sources, file);
        if (e.mark.line >= 0) {
            const auto off = sources.offset_of(file, e.mark.line, e.mark.column);
            // One byte at the error, or an empty span when yaml-cpp points at the end.
            const auto size = static_cast<std::uint32_t>(sources.text(file).size());
            span = Span{file, off, off < size ? off + 1 : off};
        }
        diags.error(code, span, fmt::format("{}: malformed YAML: {}", name, yaml_problem(e)));
    } catch (const std::exception& e) {
        diags.error(code, file_start(sources, file), fmt::format("{}: malformed YAML: {}", name, yaml_problem(e)));
    }
    return std::nullopt;
}

namespace {
// Offset just past the closing quote of a quoted scalar starting at `i`.
std::size_t end_of_quoted(const std::string& t, std::size_t i) {
    const char q = t[i];
    for (std::size_t j = i + 1; j < t.size(); ++j) {
        if (q == '"' && t[j] == '\\') { ++j; continue; }
        if (t[j] == q) {
            if (q == '\'' && j + 1 < t.size() && t[j + 1] == '\'') { ++j; continue; }
            return j + 1;
        }
    }
    return t.size();
}

// Offset just past the bracket closing the flow collection starting at `i`.
std::size_t end_of_flow(const std::string& t, std::size_t i) {
    int depth = 0;
    for (std::size_t j = i; j < t.size(); ++j) {
        const char c = t[j];
        if (c == '"' || c == '\'') { j = end_of_quoted(t, j) - 1; continue; }
        if (c == '#' && j > 0 && (t[j - 1] == ' ' || t[j - 1] == '\t')) {
            while (j < t.size() && t[j] != '\n') ++j;
            continue;
        }
        if (c == '[' || c == '{') ++depth;
        if (c == ']' || c == '}') {
            if (--depth == 0) return j + 1;
        }
    }
    return t.size();
}

// The end of the line holding `i`, without a trailing comment or blanks, looking no
// further than `limit`: a span that is cut at `limit` keeps its blanks. The bound keeps
// spanning every plain scalar of a file written on one line linear.
std::size_t end_of_line_content(const std::string& t, std::size_t i, std::size_t limit) {
    limit = std::min(limit, t.size());
    std::size_t j = i;
    while (j < limit && t[j] != '\n' && t[j] != '\r') {
        if (t[j] == '#' && j > i && (t[j - 1] == ' ' || t[j - 1] == '\t')) break;
        ++j;
    }
    if (j == limit && j < t.size() && t[j] != '\n' && t[j] != '\r') return j;
    while (j > i && (t[j - 1] == ' ' || t[j - 1] == '\t')) --j;
    return j;
}
}  // namespace

Span span_of(const SourceMap& sources, std::uint32_t file, const YAML::Node& node, Span fallback) {
    if (!node.IsDefined()) return fallback;
    const auto mark = node.Mark();
    if (mark.line < 0) return fallback;
    const auto& t = sources.text(file);
    const std::size_t begin = sources.offset_of(file, mark.line, mark.column);
    if (begin >= t.size()) return fallback;
    if (node.IsNull()) {
        // An implicit null (`key:` with no value) carries the mark of the next token.
        const std::string_view rest = std::string_view(t).substr(begin);
        for (std::string_view word : {"null", "Null", "NULL", "~"})
            if (rest.substr(0, word.size()) == word)
                return Span{file, static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(begin + word.size())};
        return fallback;
    }
    // An anchor (`&a`), tag (`!!map`) or alias (`*a`) is one token: the node's own text
    // starts after its anchor and tag, and an alias is the token alone. (Else each would
    // take the last branch below and scan to the end of its line: quadratic in a file on
    // one line.)
    auto token_end = [&](std::size_t i) {
        while (i < t.size() && t[i] != ' ' && t[i] != '\t' && t[i] != '\n' && t[i] != '\r' && t[i] != ',' &&
               t[i] != '[' && t[i] != ']' && t[i] != '{' && t[i] != '}')
            ++i;
        return i;
    };
    if (t[begin] == '*') return Span{file, static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(token_end(begin))};
    std::size_t at = begin;
    while (at < t.size() && (t[at] == '&' || t[at] == '!')) {
        at = token_end(at);
        while (at < t.size() && (t[at] == ' ' || t[at] == '\t')) ++at;
    }
    if (at >= t.size() || t[at] == '\n' || t[at] == '\r') at = begin;  // a block node on the next lines
    std::size_t end = at + 1;
    const char c = t[at];
    if (c == '"' || c == '\'') {
        end = end_of_quoted(t, at);
    } else if (c == '[' || c == '{') {
        end = end_of_flow(t, at);
    } else if (node.IsScalar() && c != '|' && c != '>') {
        // A plain scalar: as written on its first line (yaml-cpp keeps the text).
        end = end_of_line_content(t, at, at + node.Scalar().size());
        if (end <= at) end = at + 1;
    } else {
        end = std::max(end, end_of_line_content(t, at, t.size()));
    }
    return Span{file, static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)};
}

std::string display_name(const SourceMap& sources, std::uint32_t file) {
    const auto name = std::filesystem::path(sources.path(file)).filename().string();
    return name.empty() ? sources.path(file) : name;
}

const char* describe(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Map: return "a map";
        case YAML::NodeType::Sequence: return "a list";
        case YAML::NodeType::Scalar: return "a scalar";
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined: return "nothing";
    }
    return "nothing";
}

bool is_identifier(std::string_view s) {
    if (s.empty()) return false;
    auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
    if (!alpha(s[0])) return false;
    for (char c : s)
        if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
    return true;
}

bool is_plain_scalar(const YAML::Node& node) { return node.IsScalar() && node.Tag() == "?"; }

void Reporter::error(Span span, std::string_view path, std::string_view message, std::string hint, const char* code) {
    std::string text = path.empty() ? fmt::format("{}: {}", name_, message)
                                    : fmt::format("{}: {}: {}", name_, path, message);
    diags_.error(code ? code : code_, span, std::move(text), std::move(hint));
}

}  // namespace cordon::detail
