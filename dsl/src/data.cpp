// Loads data files that policies `use`: named string sets and keyed tables of scalars.
#include "cordon/dsl/data.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "cordon/dsl/limits.hpp"
#include "cordon/dsl/parse.hpp"
#include "yaml_util.hpp"

namespace cordon {

int Table::column(std::string_view name) const {
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i] == name) return static_cast<int>(i);
    return -1;
}

namespace {

using detail::Reporter;

// Days since 1970-01-01 (H. Hinnant's algorithm). Kept local rather than calling
// parse.hpp's days_from_civil so the loaders do not depend on the parser library.
std::optional<std::int32_t> civil_days(int y, int m, int d) {
    if (m < 1 || m > 12 || d < 1) return std::nullopt;
    static constexpr int kMonthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > kMonthDays[m - 1] + (m == 2 && leap ? 1 : 0)) return std::nullopt;
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool looks_like_date(std::string_view s) {
    return s.size() == 10 && s[4] == '-' && s[7] == '-' && digits(s.substr(0, 4)) && digits(s.substr(5, 2)) &&
           digits(s.substr(8, 2));
}

// A plain YAML number: [-+]? (digits [. digits?] | . digits) ([eE] [-+]? digits)?
// Underscores, hex, octal and .inf are not numbers here (they stay strings).
bool looks_like_number(std::string_view s) {
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t mantissa = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++mantissa;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++mantissa;
    }
    if (mantissa == 0) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        if (!digits(s.substr(i, s.find_first_not_of("0123456789", i) - i))) return false;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    }
    return i == s.size();
}

bool is_bool(std::string_view s, bool& value) {
    if (s == "true" || s == "True" || s == "TRUE") return value = true, true;
    if (s == "false" || s == "False" || s == "FALSE") return value = false, true;
    return false;
}

// Infers a cell's type from a scalar node; nullopt (after an error) when it is malformed.
std::optional<Cell> infer_cell(Reporter& r, const YAML::Node& node, Span span, const std::string& path) {
    Cell cell;
    cell.text = node.Scalar();
    if (!detail::is_plain_scalar(node)) return cell;  // quoted or block: always a string
    const std::string_view s = cell.text;
    if (is_bool(s, cell.boolean)) {
        cell.type = ScalarType::Bool;
    } else if (looks_like_number(s)) {
        const auto text = s.front() == '+' ? s.substr(1) : s;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), cell.number);
        if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(cell.number)) {
            r.error(span, path, fmt::format("number {} is out of range", s));
            return std::nullopt;
        }
        cell.type = ScalarType::Number;
    } else if (looks_like_date(s)) {
        int y = 0, m = 0, d = 0;
        std::from_chars(s.data(), s.data() + 4, y);
        std::from_chars(s.data() + 5, s.data() + 7, m);
        std::from_chars(s.data() + 8, s.data() + 10, d);
        const auto days = civil_days(y, m, d);
        if (!days) {
            r.error(span, path, fmt::format("invalid date {}", s), "quote it if it is not meant as a date");
            return std::nullopt;
        }
        cell.type = ScalarType::Date;
        cell.date = *days;
    }
    return cell;
}

bool is_meta(const YAML::Node& key, const YAML::Node& value) {
    return key.IsScalar() && key.Scalar() == "meta" && value.IsMap();
}

// Common checks on the document of a data file; nullopt when it cannot be a map.
std::optional<YAML::Node> data_document(Reporter& r, const SourceMap& sources, std::uint32_t file,
                                        Diagnostics& diags, const char* what) {
    auto doc = detail::parse_yaml(sources, file, diag::kData, diags);
    if (!doc) return std::nullopt;
    if (!doc->IsMap()) {
        r.error(doc->IsNull() ? r.start() : r.span(*doc, r.start()), "",
                fmt::format("expected a map of {}, found {}", what, detail::describe(*doc)));
        return std::nullopt;
    }
    return doc;
}

/// A plain (unquoted) scalar that YAML 1.1 or 1.2 reads as something other than a string:
/// "a boolean", "null" or "a number"; nullptr for a string (or any quoted scalar).
const char* plain_non_string(const YAML::Node& item) {
    if (item.Tag() != "?") return nullptr;  // quoted ("!") or explicitly tagged
    std::string s = item.Scalar();
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    static const char* const kBooleans[] = {"y", "n", "yes", "no", "on", "off", "true", "false"};
    for (const char* b : kBooleans)
        if (s == b) return "a boolean";
    if (s.empty() || s == "~" || s == "null") return "null";
    char* end = nullptr;
    std::strtod(s.c_str(), &end);
    if (end && *end == '\0' && s.find_first_of("0123456789") != std::string::npos) return "a number";
    return nullptr;
}

// One end of a window: `since` or `until`, a date YYYY-MM-DD; false (after an error) else.
bool read_window_end(Reporter& r, const std::string& key, const YAML::Node& value, const Span& span,
                     const std::string& where, const char* hint, DateWindow& window) {
    const auto day = value.IsScalar() ? parse_date(value.Scalar()) : std::nullopt;
    if (!day) {
        r.error(span, where + "." + key, "expected a date YYYY-MM-DD", hint);
        return false;
    }
    (key == "since" ? window.since : window.until) = *day;
    return true;
}

// `until` must come after `since`; false (after an error at `at`) else.
bool window_in_order(Reporter& r, const Span& at, const std::string& where, const DateWindow& window, const char* what) {
    if (window.since < window.until) return true;
    r.error(at, where, fmt::format("`until` {} is not after `since` {}", format_date(window.until), format_date(window.since)),
            fmt::format("`until` is the first day the {} is out: it must come after `since`", what));
    return false;
}

// The windows of one dated member or one key's dated rows, kept sorted: whether a new
// window overlaps one of them is a look-up, not a walk over all of them (a member with
// 100,000 windows would take 5 billion comparisons).
class DisjointWindows {
public:
    /// Adds `w` unless it overlaps a window already added; false when it does.
    bool add(const DateWindow& w) {
        // The windows kept are disjoint, so the one starting last before `w` ends also
        // ends last among those: it is the only one that can reach into `w`.
        auto next = by_since_.lower_bound(w.until);
        if (next != by_since_.begin() && std::prev(next)->second > w.since) return false;
        by_since_.emplace(w.since, w.until);
        return true;
    }

private:
    std::map<std::int32_t, std::int32_t> by_since_;  // since -> until
};

// `{since: DATE, until: DATE}` (either may be left out) of a dated set member.
bool read_window(Reporter& r, const YAML::Node& node, const Span& at, const std::string& where, DateWindow& window) {
    const char* hint = "a dated member is `KH: {until: 2025-11-07}` or `KH: {since: 2024-01-01, until: 2025-11-07}`";
    if (!node.IsMap() || node.size() == 0) {
        r.error(r.span(node, at), where, fmt::format("expected {{since: DATE, until: DATE}}, found {}", detail::describe(node)), hint);
        return false;
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
        if (key != "since" && key != "until") {
            r.error(r.span(it->first, at), where, fmt::format("unknown key `{}` in a dated member", key),
                    "only `since` (first day in) and `until` (first day out) are allowed");
            return false;
        }
        if (!read_window_end(r, key, it->second, r.span(it->second, r.span(it->first, at)), where, hint, window)) return false;
    }
    return window_in_order(r, at, where, window, "member");
}

std::optional<SetsFile> parse_sets_impl(const SourceMap& sources, std::uint32_t file, Diagnostics& diags) {
    Reporter r(sources, file, diag::kData, diags);
    auto doc = data_document(r, sources, file, diags, "set names to lists of strings");
    if (!doc) return std::nullopt;
    SetsFile out;
    out.path = sources.path(file);
    std::unordered_set<std::string> names;  // of the sets read: a hash set, linear in sets
    for (auto it = doc->begin(); it != doc->end(); ++it) {
        const YAML::Node key = it->first;
        const YAML::Node value = it->second;
        if (is_meta(key, value)) continue;
        const Span key_span = r.span(key, r.start());
        if (!key.IsScalar() || !detail::is_identifier(key.Scalar())) {
            r.error(key_span, key.IsScalar() ? key.Scalar() : "",
                    key.IsScalar() ? fmt::format("invalid set name \"{}\"", key.Scalar())
                                   : fmt::format("a set name must be a plain name, found {}", detail::describe(key)),
                    "set names are identifiers: letters, digits and _, not starting with a digit");
            continue;
        }
        const std::string& name = key.Scalar();
        if (names.count(name)) {
            r.error(key_span, name, "set defined twice", "merge the two lists");
            continue;
        }
        if (!value.IsSequence()) {
            r.error(r.span(value, key_span), name,
                    fmt::format("expected a list of strings, found {}", detail::describe(value)),
                    fmt::format("write {}: [] for an empty set or {}: [A, B] for members", name, name));
            continue;
        }
        NamedSet set;
        set.name = name;
        set.span = key_span;
        bool ok = true;
        std::unordered_set<std::string> seen;  // plain members (linear: 200,000 members load at once)
        std::unordered_map<std::string, DisjointWindows> dated;  // member -> its windows
        const Span list_span = r.span(value, key_span);  // once: a list on one line is long
        for (std::size_t i = 0; i < value.size(); ++i) {
            const YAML::Node item = value[i];
            const Span item_span = r.span(item, list_span);
            const std::string where = fmt::format("{}[{}]", name, i);
            std::string member;
            DateWindow window;
            if (item.IsMap() && item.size() == 1 && item.begin()->first.IsScalar()) {
                member = item.begin()->first.Scalar();
                if (!read_window(r, item.begin()->second, item_span, where + "." + member, window)) {
                    ok = false;
                    continue;
                }
            } else if (!item.IsScalar()) {
                r.error(item_span, where, fmt::format("expected a string, found {}", detail::describe(item)),
                        "a member is a string, or a dated one: `KH: {until: 2025-11-07}`");
                ok = false;
                continue;
            } else if (const char* kind = plain_non_string(item)) {
                r.error(item_span, where, fmt::format("`{}` is {} in YAML, not a string", item.Scalar(), kind),
                        fmt::format("quote it if you mean the text: \"{}\"", item.Scalar()));
                ok = false;
                continue;
            } else {
                member = item.Scalar();
            }
            const bool plain = window.always();
            auto clash = [&](std::string_view what) {
                r.error(item_span, where, fmt::format("`{}` {}", member, what),
                        "give each member once, or dated windows that do not overlap");
                ok = false;
            };
            if (plain) {
                if (dated.count(member)) { clash("is listed both plain and dated"); continue; }
                if (!seen.insert(member).second) continue;  // a plain duplicate is dropped
            } else {
                if (seen.count(member)) { clash("is listed both plain and dated"); continue; }
                if (!dated[member].add(window)) { clash("has dated windows that overlap"); continue; }
            }
            set.members.push_back(member);
            set.member_spans.push_back(item_span);
            set.member_windows.push_back(window);
        }
        if (ok) {
            names.insert(set.name);
            out.sets.push_back(std::move(set));
        }
    }
    if (r.failed()) return std::nullopt;
    return out;
}

std::string cell_fix_hint(ScalarType expected, const Cell& cell) {
    if (expected == ScalarType::String)
        return fmt::format("quote it to make it a string: \"{}\"", cell.text);
    return fmt::format("write a {} as in the other rows", scalar_type_name(expected));
}

// A table being read: the table, and its columns by name (a hash map: a row with 100,000
// columns, or 100,000 rows with a column each, reads in linear time).
struct TableReader {
    Table table;
    std::unordered_map<std::string, int> column_index;
    std::size_t written = 0;  // cells the rows write
    bool over_limit = false;  // reported once; the rest of the file is not read

    int column(const std::string& name) const {
        const auto it = column_index.find(name);
        return it == column_index.end() ? -1 : it->second;
    }
    /// Whether `rows` rows of `columns` columns fit: at most 4 cells per cell written, plus
    /// kTableCells. Reports it once when not.
    bool fits(Reporter& r, const Span& at, const std::string& where, std::size_t rows, std::size_t columns) {
        const std::size_t most = 4 * written + kTableCells;
        if (rows * columns <= most) return true;
        if (!over_limit)
            r.error(at, where,
                    fmt::format("the table would have {} rows and {} columns, {} cells for the {} its rows write: more "
                                "than the limit of {} (4 per cell written, plus {})",
                                rows, columns, rows * columns, written, most, kTableCells),
                    "every row holds a cell for every column, written or not: give rows the same few columns",
                    diag::kLimit);
        over_limit = true;
        return false;
    }
};

// The cells of one row from its map, `{column: value, ...}`, into `row` (new columns are
// added to the table). With `window`, the map is a dated row: `since` and `until` are its
// window, not columns. False when some cell was in error (reported).
bool read_row(Reporter& r, TableReader& tr, Table::Row& row, const YAML::Node& value, const Span& at,
              const std::string& where, DateWindow* window) {
    Table& table = tr.table;
    if (!tr.fits(r, at, where, table.rows.size() + 1, table.columns.size())) return false;
    bool ok = true;
    row.cells.resize(table.columns.size());
    std::unordered_set<std::string> seen;
    for (auto cit = value.begin(); cit != value.end(); ++cit) {
        const YAML::Node ckey = cit->first;
        const YAML::Node cvalue = cit->second;
        const Span ckey_span = r.span(ckey, at);
        if (!ckey.IsScalar() || !detail::is_identifier(ckey.Scalar())) {
            r.error(ckey_span, where,
                    ckey.IsScalar() ? fmt::format("invalid column name \"{}\"", ckey.Scalar())
                                    : fmt::format("a column name must be a plain name, found {}", detail::describe(ckey)),
                    "column names are identifiers: letters, digits and _, not starting with a digit");
            ok = false;
            continue;
        }
        const std::string& column = ckey.Scalar();
        const std::string path = fmt::format("{}.{}", where, column);
        if (!seen.insert(column).second) {
            r.error(ckey_span, path, "column set twice in one row", "remove one of them");
            ok = false;
            continue;
        }
        if (window && (column == "since" || column == "until")) {
            ok = read_window_end(r, column, cvalue, r.span(cvalue, ckey_span), where,
                                 "a dated row is `{since: 2025-01-15, until: 2026-01-15, column: value, ...}`", *window) && ok;
            continue;
        }
        if (cvalue.IsNull()) continue;  // an explicit null is an omitted cell
        const Span cell_span = r.span(cvalue, ckey_span);
        if (!cvalue.IsScalar()) {
            r.error(cell_span, path,
                    fmt::format("expected a number, bool, date or string, found {}", detail::describe(cvalue)),
                    "table cells are scalars; use a separate table or a set for structured data");
            ok = false;
            continue;
        }
        auto cell = infer_cell(r, cvalue, cell_span, path);
        if (!cell) {
            ok = false;
            continue;
        }
        int index = tr.column(column);
        if (index < 0) {
            if (!tr.fits(r, cell_span, path, table.rows.size() + 1, table.columns.size() + 1)) return false;
            index = static_cast<int>(table.columns.size());
            tr.column_index.emplace(column, index);
            table.columns.push_back(column);
            table.column_types.push_back(cell->type);
            row.cells.emplace_back();
        } else if (table.column_types[index] != cell->type) {
            r.error(cell_span, path,
                    fmt::format("{} in other rows, {} here", scalar_type_name(table.column_types[index]),
                                scalar_type_name(cell->type)),
                    cell_fix_hint(table.column_types[index], *cell));
            ok = false;
            continue;
        }
        row.cells[index] = std::move(*cell);
        ++tr.written;
    }
    return ok;
}

// `key: [{since: ..., until: ..., column: value}, ...]`: the dated rows of one key, each
// with its window; two of them whose windows overlap are an error at the second.
void read_dated_rows(Reporter& r, TableReader& tr, const std::string& key, const YAML::Node& list, const Span& key_span) {
    Table& table = tr.table;
    if (list.size() == 0) {
        r.error(r.span(list, key_span), key, "a key with dated rows needs at least one row",
                fmt::format("write {}: [{{since: DATE, column: value, ...}}, ...] or a plain row {}: {{column: value}}", key, key));
        return;
    }
    DisjointWindows windows;
    for (std::size_t i = 0; i < list.size() && !tr.over_limit; ++i) {
        const YAML::Node item = list[i];
        const Span item_span = r.span(item, key_span);
        const std::string where = fmt::format("{}[{}]", key, i);
        if (!item.IsMap()) {
            r.error(item_span, where, fmt::format("expected a dated row, found {}", detail::describe(item)),
                    "a dated row is `{since: 2025-01-15, until: 2026-01-15, column: value, ...}`");
            continue;
        }
        Table::Row row;
        row.key = key;
        row.span = item_span;
        if (!read_row(r, tr, row, item, item_span, where, &row.window)) continue;
        if (!window_in_order(r, item_span, where, row.window, "row")) continue;
        if (!windows.add(row.window)) {
            r.error(item_span, where, fmt::format("`{}` has dated rows that overlap", key),
                    "give the rows of one key windows that do not overlap: `until` of one is `since` of the next");
        }
        table.rows.push_back(std::move(row));
    }
}

std::optional<Table> parse_table_impl(const SourceMap& sources, std::uint32_t file, Diagnostics& diags) {
    Reporter r(sources, file, diag::kData, diags);
    auto doc = data_document(r, sources, file, diags, "keys to records");
    if (!doc) return std::nullopt;
    TableReader tr;
    Table& table = tr.table;
    table.path = sources.path(file);
    std::unordered_set<std::string> row_keys;
    for (auto it = doc->begin(); it != doc->end() && !tr.over_limit; ++it) {
        const YAML::Node key = it->first;
        const YAML::Node value = it->second;
        if (is_meta(key, value)) continue;
        const Span key_span = r.span(key, r.start());
        if (!key.IsScalar() || key.Scalar().empty()) {
            r.error(key_span, "", key.IsScalar() ? std::string("a row key must not be empty")
                                                 : fmt::format("a row key must be a string, found {}", detail::describe(key)));
            continue;
        }
        const std::string& row_key = key.Scalar();
        if (!row_keys.insert(row_key).second) {  // a hash set: 100,000 rows load in linear time
            r.error(key_span, row_key, "row defined twice", "merge the two rows, or give the key dated rows: key: [{until: ...}, {since: ...}]");
            continue;
        }
        if (value.IsSequence()) {
            read_dated_rows(r, tr, row_key, value, key_span);
            continue;
        }
        if (!value.IsMap()) {
            r.error(r.span(value, key_span), row_key,
                    fmt::format("expected a map of column -> value, found {}", detail::describe(value)),
                    fmt::format("write {}: {{ column: value, ... }}", row_key));
            continue;
        }
        Table::Row row;
        row.key = row_key;
        row.span = key_span;
        if (!read_row(r, tr, row, value, key_span, row_key, nullptr) && tr.over_limit) break;
        table.rows.push_back(std::move(row));
    }
    if (r.failed()) return std::nullopt;
    for (auto& row : table.rows) row.cells.resize(table.columns.size());
    return std::move(table);
}

template <class Result, class Fn>
std::optional<Result> guarded(const SourceMap& sources, std::uint32_t file, Diagnostics& diags, Fn fn) {
    try {
        return fn(sources, file, diags);
    } catch (const std::exception& e) {
        Reporter r(sources, file, diag::kData, diags);
        r.error(r.start(), "", fmt::format("cannot read the data file: {}", e.what()));
        return std::nullopt;
    }
}

}  // namespace

std::optional<SetsFile> parse_sets(const SourceMap& sources, std::uint32_t file, Diagnostics& diags) {
    return guarded<SetsFile>(sources, file, diags, parse_sets_impl);
}

std::optional<Table> parse_table(const SourceMap& sources, std::uint32_t file, Diagnostics& diags) {
    return guarded<Table>(sources, file, diags, parse_table_impl);
}

std::optional<SetsFile> load_sets(const std::string& path, SourceMap& sources, Diagnostics& diags) {
    const auto file = detail::read_source(path, sources, diags);
    if (!file) return std::nullopt;
    return parse_sets(sources, *file, diags);
}

std::optional<Table> load_table(const std::string& path, SourceMap& sources, Diagnostics& diags) {
    const auto file = detail::read_source(path, sources, diags);
    if (!file) return std::nullopt;
    return parse_table(sources, *file, diags);
}

}  // namespace cordon
