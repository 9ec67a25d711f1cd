// Data files a policy `use`s: named string sets and keyed tables of scalar records.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cordon/dsl/diagnostic.hpp"
#include "cordon/dsl/schema.hpp"
#include "cordon/dsl/source.hpp"

namespace cordon {

/// `D5: [CN, MO, ...]`: one named set of strings.
struct NamedSet {
    std::string name;
    std::vector<std::string> members;  // in file order, duplicates removed
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
/// inferred from the cells and must agree across rows; a row may omit a column.
struct Table {
    std::string path;
    std::vector<std::string> columns;
    std::vector<ScalarType> column_types;
    struct Row {
        std::string key;
        std::vector<std::optional<Cell>> cells;  // parallel to `columns`
        Span span;
    };
    std::vector<Row> rows;

    int column(std::string_view name) const;  // -1 when absent
};

std::optional<SetsFile> load_sets(const std::string& path, SourceMap& sources, Diagnostics& diags);
std::optional<Table> load_table(const std::string& path, SourceMap& sources, Diagnostics& diags);

}  // namespace cordon
