// Data files a policy `use`s: named string sets and keyed tables of scalar records.
#pragma once
#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cordon/dsl/diagnostic.hpp"
#include "cordon/dsl/schema.hpp"
#include "cordon/dsl/source.hpp"

namespace cordon {

/// The days a dated set member belongs, or a dated table row holds: `since` (inclusive) up
/// to `until` (exclusive), days since 1970-01-01, as a rule's `effective` and `sunset`. A
/// plain member or row always does.
struct DateWindow {
    static constexpr std::int32_t kOpen = INT32_MIN;   // no `since`
    static constexpr std::int32_t kNever = INT32_MAX;  // no `until`
    std::int32_t since = kOpen;
    std::int32_t until = kNever;
    bool always() const { return since == kOpen && until == kNever; }
    bool holds(std::int32_t day) const { return since <= day && day < until; }
    bool operator==(const DateWindow&) const = default;
};

/// `D5: [CN, MO, KH: {until: 2025-11-07}]`: one named set of strings. A member may be
/// dated (`since`, `until`); the same string may appear again with a disjoint window.
struct NamedSet {
    std::string name;
    std::vector<std::string> members;    // in file order, duplicates removed
    std::vector<Span> member_spans;      // parallel to members: where each is written
    std::vector<DateWindow> member_windows;  // parallel to members: when each belongs
    Span span;
};

struct SetsFile {
    std::string path;
    std::vector<NamedSet> sets;
};

/// A scalar cell of a table: number, bool, string or date (days since 1970-01-01).
struct Cell {
    ScalarType type = ScalarType::String;  // Number, Bool, String or Date
    double number = 0;
    bool boolean = false;
    std::int32_t date = 0;
    std::string text;
};

/// `H100-SXM: {tpp: 15832, eccn: 3A090.a}`: records keyed by name. Column types are
/// inferred from the cells and must agree across rows; a row may omit a column. A key may
/// hold dated rows instead, `H20: [{until: 2025-04-15, tpp: 2368}, {since: 2025-04-15, ...}]`:
/// then `rows` holds one entry per dated row, next to each other, with disjoint windows.
struct Table {
    std::string path;
    std::vector<std::string> columns;
    std::vector<ScalarType> column_types;
    struct Row {
        std::string key;
        std::vector<std::optional<Cell>> cells;  // parallel to `columns`
        Span span;
        DateWindow window;  // the days this row holds for its key (dated rows; else always)
    };
    std::vector<Row> rows;

    int column(std::string_view name) const;  // -1 when absent
    /// Whether some row is dated (then what a key holds depends on the day).
    bool dated() const {
        for (const auto& r : rows)
            if (!r.window.always()) return true;
        return false;
    }
};

/// Loading rules shared by both kinds of data file:
/// - A top-level key `meta` holding a map is ignored: it is the place for provenance
///   (source, retrieved date, notes). `meta` holding anything else is an ordinary entry.
/// - Errors are kData diagnostics at the offending node, naming the key path
///   ("chips.yaml: A30.tpp: number in other rows, string here"); a missing file is kIo.
///
/// Sets: `NAME: [member, ...]`. Names are identifiers; members are strings: a plain
/// (unquoted) member that YAML reads as a boolean, a null or a number (`no`, `NO`, `false`,
/// `~`, `42`) is an error, with the hint to quote it (`"NO"`), since other YAML readers take
/// it for `false`; duplicates are dropped; `NAME: []` is empty. How members are used is
/// checked later: a member of a set tested against a `country` must be a country code, one
/// tested against an enum one of its values (see check.cpp). A dated member is a one-key
/// map, `KH: {until: 2025-11-07}` or `XX: {since: 2024-01-01, until: 2025-01-01}` (dates as
/// YYYY-MM-DD; `since` inclusive, `until` exclusive, like `effective` and `sunset`); a
/// reversed or empty window, a member both plain and dated, and overlapping windows of
/// one member are errors.
///
/// Tables: `key: {column: value, ...}`. Column names are identifiers. A plain scalar
/// `true`/`false` is a Bool, a plain YAML number (`15832`, `-0.5`, `1e26`; not `15_832`)
/// a Number, a plain `YYYY-MM-DD` a Date (validated); everything else, and every quoted
/// scalar, is a String (`3A090.a`, `"15832"`). A null cell (`tpp: ~`) is an omitted one.
/// A key whose value is a list holds dated rows, `key: [{since: DATE, until: DATE, column:
/// value, ...}, ...]`: in such a row `since` and `until` are the row's window (either may
/// be left out), not columns; a reversed or empty window and two rows of one key whose
/// windows overlap are errors. A plain row (a map) holds on every day.
std::optional<SetsFile> load_sets(const std::string& path, SourceMap& sources, Diagnostics& diags);
std::optional<Table> load_table(const std::string& path, SourceMap& sources, Diagnostics& diags);
/// The same, for YAML text already registered in `sources` as `file`.
std::optional<SetsFile> parse_sets(const SourceMap& sources, std::uint32_t file, Diagnostics& diags);
std::optional<Table> parse_table(const SourceMap& sources, std::uint32_t file, Diagnostics& diags);

}  // namespace cordon
