// Specification of data files (LANGUAGE.md, "Data files"): named sets and tables.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "cordon/dsl/data.hpp"
#include "cordon/dsl/limits.hpp"

using namespace cordon;

namespace {

const std::string kFixtures = std::string(CORDON_SOURCE_DIR) + "/tests/fixtures/loaders/";

template <class T>
struct Parsed {
    SourceMap sources;
    Diagnostics diags;
    std::optional<T> value;
};

Parsed<SetsFile> sets(const std::string& text) {
    Parsed<SetsFile> p;
    p.value = parse_sets(p.sources, p.sources.add("data/sets.yaml", text), p.diags);
    return p;
}

Parsed<Table> table(const std::string& text) {
    Parsed<Table> p;
    p.value = parse_table(p.sources, p.sources.add("data/chips.yaml", text), p.diags);
    return p;
}

template <class T>
void expect_error(const Parsed<T>& p, const std::string& message, int line, int column, const std::string& hint = "") {
    CHECK_FALSE(p.value.has_value());
    REQUIRE(p.diags.items().size() == 1);
    const auto& d = p.diags.items()[0];
    CHECK(d.code == diag::kData);
    CHECK(d.message == message);
    const auto lc = p.sources.line_col(d.span.file, d.span.begin);
    CHECK(lc.line == line);
    CHECK(lc.column == column);
    if (!hint.empty()) CHECK(d.hint == hint);
}

const NamedSet* find_set(const SetsFile& f, const std::string& name) {
    for (const auto& s : f.sets)
        if (s.name == name) return &s;
    return nullptr;
}

const Table::Row* find_row(const Table& t, const std::string& key) {
    for (const auto& r : t.rows)
        if (r.key == key) return &r;
    return nullptr;
}

using Members = std::vector<std::string>;

}  // namespace

TEST_CASE("data: a sets file maps names to lists of strings") {
    SourceMap sources;
    Diagnostics diags;
    const auto path = kFixtures + "country_groups.yaml";
    const auto f = load_sets(path, sources, diags);
    REQUIRE(f.has_value());
    CHECK(diags.items().empty());
    CHECK(f->path == path);
    SUBCASE("file order, meta ignored") {
        std::vector<std::string> names;
        for (const auto& s : f->sets) names.push_back(s.name);
        CHECK(names == std::vector<std::string>{"D1", "D5", "MACAU", "NORDIC", "EMPTY", "CODES"});
    }
    SUBCASE("duplicates are dropped, order kept") {
        CHECK(find_set(*f, "D5")->members == Members{"AF", "BY", "CN", "CU", "IR", "KP", "MO", "RU", "VE"});
        CHECK(find_set(*f, "MACAU")->members == Members{"MO"});
    }
    SUBCASE("quoted scalars are taken as written") {
        CHECK(find_set(*f, "NORDIC")->members == Members{"NO", "SE", "FI", "DK", "IS"});
        CHECK(find_set(*f, "CODES")->members == Members{"1", "2.50", "007"});
    }
    SUBCASE("an empty set is allowed") { CHECK(find_set(*f, "EMPTY")->members.empty()); }
    SUBCASE("spans point at the set name") {
        const auto* d5 = find_set(*f, "D5");
        const auto lc = sources.line_col(d5->span.file, d5->span.begin);
        CHECK(lc.line == 6);
        CHECK(lc.column == 1);
    }
}

TEST_CASE("data: sets file errors") {
    SUBCASE("set names are identifiers") {
        expect_error(sets("D-5: [CN]\n"), "sets.yaml: D-5: invalid set name \"D-5\"", 1, 1);
    }
    SUBCASE("a set is a list") {
        expect_error(sets("D5: CN\n"), "sets.yaml: D5: expected a list of strings, found a scalar", 1, 5);
        expect_error(sets("D5:\nD1: [CN]\n"), "sets.yaml: D5: expected a list of strings, found nothing", 1, 1,
                     "write D5: [] for an empty set or D5: [A, B] for members");
        expect_error(sets("D5: {CN: 1}\n"), "sets.yaml: D5: expected a list of strings, found a map", 1, 5);
    }
    SUBCASE("members are strings") {
        expect_error(sets("D5:\n  - CN\n  - [MO]\n"), "sets.yaml: D5[1]: expected a string, found a list", 3, 5);
        expect_error(sets("D5: [CN, {a: b, c: d}]\n"), "sets.yaml: D5[1]: expected a string, found a map", 1, 10);
    }
    SUBCASE("a set defined twice") {
        expect_error(sets("D5: [CN]\nD1: []\nD5: [MO]\n"), "sets.yaml: D5: set defined twice", 3, 1);
    }
    SUBCASE("meta holding a map is ignored, anything else is a set") {
        const auto p = sets("meta: [a]\n");
        REQUIRE(p.value.has_value());
        CHECK(p.value->sets.size() == 1);
        expect_error(sets("meta: x\n"), "sets.yaml: meta: expected a list of strings, found a scalar", 1, 7);
    }
    SUBCASE("the document is a map") {
        expect_error(sets("- CN\n"), "sets.yaml: expected a map of set names to lists of strings, found a list", 1, 1);
        expect_error(sets(""), "sets.yaml: expected a map of set names to lists of strings, found nothing", 1, 1);
    }
    SUBCASE("malformed YAML") {
        const auto p = sets("D5: [CN, MO\nD1: [RU]\n");
        CHECK_FALSE(p.value.has_value());
        REQUIRE(p.diags.items().size() == 1);
        CHECK(p.diags.items()[0].code == diag::kData);
        CHECK(p.diags.items()[0].message.rfind("sets.yaml: malformed YAML: ", 0) == 0);
    }
    SUBCASE("a missing file is an I/O error naming the path") {
        SourceMap sources;
        Diagnostics diags;
        CHECK_FALSE(load_sets(kFixtures + "missing.yaml", sources, diags).has_value());
        REQUIRE(diags.items().size() == 1);
        CHECK(diags.items()[0].code == diag::kIo);
        CHECK(diags.items()[0].message.find(kFixtures + "missing.yaml") != std::string::npos);
    }
    SUBCASE("a device is refused, not read forever (`use sets from \"/dev/zero\"` hung the loader)") {
        SourceMap sources;
        Diagnostics diags;
        CHECK_FALSE(load_sets("/dev/zero", sources, diags).has_value());
        CHECK_FALSE(load_table("/dev/zero", sources, diags).has_value());
        REQUIRE(diags.items().size() == 2);
        CHECK(diags.items()[0].code == diag::kIo);
        CHECK(diags.items()[0].message == "cannot read /dev/zero: not a regular file");
    }
}

TEST_CASE("data: a table maps keys to records of scalars") {
    SourceMap sources;
    Diagnostics diags;
    const auto t = load_table(kFixtures + "chips.yaml", sources, diags);
    REQUIRE(t.has_value());
    CHECK(diags.items().empty());
    SUBCASE("columns in first-appearance order with inferred types") {
        CHECK(t->columns == std::vector<std::string>{"tpp", "eccn", "released", "datacenter", "performance_density"});
        CHECK(t->column_types == std::vector<ScalarType>{ScalarType::Number, ScalarType::String, ScalarType::Date,
                                                         ScalarType::Bool, ScalarType::Number});
        CHECK(t->column("eccn") == 1);
        CHECK(t->column("notes") == -1);
    }
    SUBCASE("rows in file order, meta ignored, every row as wide as the columns") {
        REQUIRE(t->rows.size() == 3);
        CHECK(t->rows[0].key == "H100-SXM");
        CHECK(t->rows[1].key == "A30");
        CHECK(t->rows[2].key == "L4");
        for (const auto& r : t->rows) CHECK(r.cells.size() == t->columns.size());
        const auto lc = sources.line_col(t->rows[1].span.file, t->rows[1].span.begin);
        CHECK(lc.line == 4);
        CHECK(lc.column == 1);
    }
    SUBCASE("cells") {
        const auto* h100 = find_row(*t, "H100-SXM");
        CHECK(h100->cells[0]->number == 15832);
        CHECK(h100->cells[1]->type == ScalarType::String);
        CHECK(h100->cells[1]->text == "3A090.a");
        CHECK(h100->cells[2]->type == ScalarType::Date);
        CHECK(h100->cells[2]->date == 19073);  // 2022-03-22
        CHECK(h100->cells[3]->boolean);
        CHECK_FALSE(h100->cells[4].has_value());  // omitted
        const auto* a30 = find_row(*t, "A30");
        CHECK(a30->cells[1]->text == "3A090");  // quoted: a string
        CHECK(a30->cells[4]->number == doctest::Approx(3.14));
        CHECK_FALSE(a30->cells[3].has_value());
        const auto* l4 = find_row(*t, "L4");
        CHECK(l4->cells[0]->number == 1940);     // scientific notation
        CHECK(l4->cells[1]->text == "15_832");   // not a plain YAML number
        CHECK(l4->cells[3]->type == ScalarType::Bool);
        CHECK_FALSE(l4->cells[3]->boolean);
    }
}

TEST_CASE("data: cell inference") {
    const auto p = table("a: {n: -0.5, e: 1e26, s: +3, d: 1970-01-01, t: TRUE, y: yes, q: \"true\", x: .inf, h: 0x1F}\n");
    REQUIRE(p.value.has_value());
    const auto& row = p.value->rows[0];
    CHECK(row.cells[0]->number == -0.5);
    CHECK(row.cells[1]->number == 1e26);
    CHECK(row.cells[2]->number == 3);
    CHECK(row.cells[3]->type == ScalarType::Date);
    CHECK(row.cells[3]->date == 0);
    CHECK(row.cells[4]->type == ScalarType::Bool);
    for (int i : {5, 6, 7, 8}) CHECK(row.cells[static_cast<std::size_t>(i)]->type == ScalarType::String);
    CHECK(table("a: {}\n").value.has_value());
}

TEST_CASE("data: table errors") {
    SUBCASE("a column's type agrees across rows") {
        expect_error(table("H100: {tpp: 15832}\nA30: {tpp: 2580a}\n"), "chips.yaml: A30.tpp: number in other rows, string here",
                     2, 12, "write a number as in the other rows");
        expect_error(table("H100: {eccn: 3A090}\nA30:\n  eccn: 5002\n"),
                     "chips.yaml: A30.eccn: string in other rows, number here", 3, 9,
                     "quote it to make it a string: \"5002\"");
    }
    SUBCASE("dates are validated") {
        expect_error(table("a: {d: 2023-02-29}\n"), "chips.yaml: a.d: invalid date 2023-02-29", 1, 8);
        CHECK(table("a: {d: 2024-02-29}\n").value.has_value());
    }
    SUBCASE("cells are scalars") {
        expect_error(table("a: {d: [1, 2]}\n"), "chips.yaml: a.d: expected a number, bool, date or string, found a list", 1,
                     8);
    }
    SUBCASE("rows are maps") {
        // (A list holds dated rows, `a: [{since: 2025-01-01, tpp: 1}]`: each must be a map.)
        expect_error(table("a: [1]\n"), "chips.yaml: a[0]: expected a dated row, found a scalar", 1, 5);
        expect_error(table("a: 3\n"), "chips.yaml: a: expected a map of column -> value, found a scalar", 1, 4);
    }
    SUBCASE("column names are identifiers") {
        expect_error(table("a: {tpp-max: 1}\n"), "chips.yaml: a: invalid column name \"tpp-max\"", 1, 5);
    }
    SUBCASE("keys are unique") {
        expect_error(table("a: {x: 1}\na: {x: 2}\n"), "chips.yaml: a: row defined twice", 2, 1);
        expect_error(table("a: {x: 1, x: 2}\n"), "chips.yaml: a.x: column set twice in one row", 1, 11);
    }
    SUBCASE("the document is a map") {
        expect_error(table("[a]\n"), "chips.yaml: expected a map of keys to records, found a list", 1, 1);
    }
    SUBCASE("several errors in one run") {
        const auto p = table("a: {x: 1, d: 2023-13-01}\nb: {x: yes}\n");
        CHECK_FALSE(p.value.has_value());
        CHECK(p.diags.items().size() == 2);
    }
}

TEST_CASE("a table holds at most 4 cells per cell written, plus 4,096: past that an error, and the file is read no further") {
    CHECK(kTableCells == 4096);
    // Each row names a column of its own: every row holds a cell for every column, so n rows
    // make n x n cells for n written (100,000 such rows would make 10 billion, 640 GB).
    std::string text;
    for (int i = 0; i < 3000; ++i) text += "k" + std::to_string(i) + ": {c" + std::to_string(i) + ": 1}\n";
    auto t = table(text);
    CHECK_FALSE(t.value.has_value());
    REQUIRE(t.diags.items().size() == 1);
    const auto& d = t.diags.items()[0];
    CHECK(d.code == diag::kLimit);
    CHECK(d.message == "chips.yaml: k66: the table would have 67 rows and 66 columns, 4422 cells for the 66 its rows "
                       "write: more than the limit of 4360 (4 per cell written, plus 4096)");
    CHECK(t.sources.line_col(d.span.file, d.span.begin).line == 67);
    // A sparse table that writes a third of its cells loads: 2,000 rows of 10 columns.
    std::string sparse;
    for (int i = 0; i < 2000; ++i)
        sparse += "k" + std::to_string(i) + ": {c" + std::to_string(i % 10) + ": 1, c" + std::to_string((i + 3) % 10) +
                  ": 2, c" + std::to_string((i + 6) % 10) + ": 3}\n";
    auto ok = table(sparse);
    REQUIRE_MESSAGE(ok.value.has_value(), render_all(ok.diags, ok.sources));
    CHECK(ok.value->rows.size() == 2000);
    CHECK(ok.value->columns.size() == 10);
}

TEST_CASE("one member's dated windows and one key's dated rows are checked for overlap against all earlier ones") {
    // Windows given out of order: the third overlaps the first, not its neighbour.
    auto s = sets("D5: [KH: {since: 2020-01-01, until: 2021-01-01}, KH: {since: 2023-01-01, until: 2024-01-01},\n"
                  "     KH: {since: 2020-06-01, until: 2020-07-01}]\n");
    REQUIRE(s.diags.items().size() == 1);
    CHECK(s.diags.items()[0].message == "sets.yaml: D5[2]: `KH` has dated windows that overlap");
    auto ok = sets("D5: [KH: {since: 2023-01-01}, KH: {until: 2020-01-01}, KH: {since: 2020-01-01, until: 2023-01-01}]\n");
    CHECK_MESSAGE(ok.value.has_value(), render_all(ok.diags, ok.sources));
    auto rows = table("XA: [{since: 2022-01-01, tpp: 1}, {until: 2020-01-01, tpp: 2}, {since: 2019-06-01, until: 2019-07-01, tpp: 3}]\n");
    REQUIRE(rows.diags.items().size() == 1);
    CHECK(rows.diags.items()[0].message == "chips.yaml: XA[2]: `XA` has dated rows that overlap");
}
