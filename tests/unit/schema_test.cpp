// Specification of schema.yaml loading (LANGUAGE.md, "The manifest and the schema").
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "cordon/dsl/limits.hpp"
#include "cordon/dsl/schema.hpp"

using namespace cordon;

namespace {

// The schema example of LANGUAGE.md, verbatim.
constexpr const char* kLanguageSchema = R"(time: date?
customer:
  name: string
  country: country
  hq_country: country
  parent_hq_country: country?
  foreign: bool
  identity_verified: bool
  owners:
    - { name: string, country: country, share: number }
intermediaries:
  - { name: string, country: country, role: "enum[reseller, broker, subsidiary, agent]" }
resource: { chip: string, count: number?, tpp: number?, performance_density: number? }
workload: { kind: "enum[training, fine_tuning, inference, other]", training_ops: number? }
license:  { granted: bool }
)";

struct Parsed {
    SourceMap sources;
    Diagnostics diags;
    std::optional<Schema> schema;
};

Parsed parse(const std::string& text) {
    Parsed p;
    const auto file = p.sources.add("schema.yaml", text);
    p.schema = parse_schema(p.sources, file, p.diags);
    return p;
}

// Exactly one error, with this code, message, position and (when given) hint.
void expect_error(const Parsed& p, const std::string& message, int line, int column, const std::string& hint = "") {
    CHECK_FALSE(p.schema.has_value());
    REQUIRE(p.diags.items().size() == 1);
    const auto& d = p.diags.items()[0];
    CHECK(d.code == diag::kSchema);
    CHECK(d.message == message);
    const auto lc = p.sources.line_col(d.span.file, d.span.begin);
    CHECK(lc.line == line);
    CHECK(lc.column == column);
    if (!hint.empty()) CHECK(d.hint == hint);
}

std::vector<std::string> names(const std::vector<SchemaField>& fields) {
    std::vector<std::string> out;
    for (const auto& f : fields) out.push_back(f.name);
    return out;
}

}  // namespace

TEST_CASE("schema: the LANGUAGE.md example loads") {
    const auto p = parse(kLanguageSchema);
    REQUIRE(p.schema.has_value());
    CHECK(p.diags.items().empty());
    const auto& root = p.schema->root;
    CHECK(root.kind == SchemaField::Kind::Record);
    CHECK(root.name.empty());

    SUBCASE("declaration order is kept") {
        CHECK(names(root.fields) ==
              std::vector<std::string>{"time", "customer", "intermediaries", "resource", "workload", "license"});
        CHECK(names(root.find("customer")->fields) ==
              std::vector<std::string>{"name", "country", "hq_country", "parent_hq_country", "foreign",
                                       "identity_verified", "owners"});
    }
    SUBCASE("a trailing ? marks an optional attribute") {
        const auto* time = root.find("time");
        REQUIRE(time);
        CHECK(time->kind == SchemaField::Kind::Scalar);
        CHECK(time->scalar == ScalarType::Date);
        CHECK(time->optional);
        const auto* customer = root.find("customer");
        CHECK(customer->find("parent_hq_country")->optional);
        CHECK(customer->find("parent_hq_country")->scalar == ScalarType::Country);
        CHECK_FALSE(customer->find("hq_country")->optional);
        CHECK(customer->find("foreign")->scalar == ScalarType::Bool);
        CHECK(root.find("resource")->find("count")->optional);
        CHECK(root.find("resource")->find("count")->scalar == ScalarType::Number);
    }
    SUBCASE("a sequence holding one map is a list of records") {
        const auto* owners = root.find("customer")->find("owners");
        REQUIRE(owners);
        CHECK(owners->kind == SchemaField::Kind::List);
        CHECK(owners->list_of_records);
        CHECK(names(owners->fields) == std::vector<std::string>{"name", "country", "share"});
        CHECK(owners->find("share")->scalar == ScalarType::Number);
        const auto lc = p.sources.line_col(owners->span.file, owners->span.begin);
        CHECK(lc.line == 9);
        CHECK(lc.column == 3);
    }
    SUBCASE("enum values in a quoted flow scalar") {
        const auto* role = root.find("intermediaries")->find("role");
        REQUIRE(role);
        CHECK(role->scalar == ScalarType::Enum);
        CHECK(role->enum_values == std::vector<std::string>{"reseller", "broker", "subsidiary", "agent"});
        const auto* kind = root.find("workload")->find("kind");
        CHECK(kind->enum_values == std::vector<std::string>{"training", "fine_tuning", "inference", "other"});
    }
    SUBCASE("flow records") {
        const auto* resource = root.find("resource");
        CHECK(resource->kind == SchemaField::Kind::Record);
        CHECK(names(resource->fields) == std::vector<std::string>{"chip", "count", "tpp", "performance_density"});
        const auto lc = p.sources.line_col(resource->find("tpp")->span.file, resource->find("tpp")->span.begin);
        CHECK(lc.line == 13);
        CHECK(lc.column == 43);
    }
}

TEST_CASE("schema: block style, lists of scalars and whitespace in types") {
    const auto p = parse(R"(
order:
  lines:
    - sku: string
      qty: number
  tags:
    - string
  codes: [country]
  grade: enum [ a ,b,   c ]?
  size:  " number ? "
)");
    REQUIRE(p.schema.has_value());
    const auto* order = p.schema->root.find("order");
    const auto* lines = order->find("lines");
    CHECK(lines->kind == SchemaField::Kind::List);
    CHECK(lines->list_of_records);
    CHECK(names(lines->fields) == std::vector<std::string>{"sku", "qty"});
    const auto* tags = order->find("tags");
    CHECK(tags->kind == SchemaField::Kind::List);
    CHECK_FALSE(tags->list_of_records);
    CHECK(tags->fields.empty());
    CHECK(tags->scalar == ScalarType::String);
    CHECK(order->find("codes")->scalar == ScalarType::Country);
    const auto* grade = order->find("grade");
    CHECK(grade->scalar == ScalarType::Enum);
    CHECK(grade->optional);
    CHECK(grade->enum_values == std::vector<std::string>{"a", "b", "c"});
    CHECK(order->find("size")->scalar == ScalarType::Number);
    CHECK(order->find("size")->optional);
    CHECK(order->find("nope") == nullptr);
}

TEST_CASE("schema: scalar_type_name") {
    CHECK(std::string(scalar_type_name(ScalarType::String)) == "string");
    CHECK(std::string(scalar_type_name(ScalarType::Number)) == "number");
    CHECK(std::string(scalar_type_name(ScalarType::Bool)) == "bool");
    CHECK(std::string(scalar_type_name(ScalarType::Date)) == "date");
    CHECK(std::string(scalar_type_name(ScalarType::Country)) == "country");
    CHECK(std::string(scalar_type_name(ScalarType::Enum)) == "enum");
}

TEST_CASE("schema: errors name the key path and point at the node") {
    SUBCASE("unknown type, with a suggestion") {
        const auto p = parse("customer:\n  owners:\n    - { name: string, share: numbr }\n");
        expect_error(p, "schema.yaml: customer.owners[0].share: unknown type \"numbr\"", 3, 30,
                     "did you mean \"number\"?");
        const auto text = render(p.diags.items()[0], p.sources);
        CHECK(text.find("schema.yaml:3:30: error[E0302]") != std::string::npos);
        CHECK(text.find("^~~~~") != std::string::npos);
    }
    SUBCASE("names from other languages get a pointer to the cordon name") {
        const auto p = parse("a: integer\n");
        expect_error(p, "schema.yaml: a: unknown type \"integer\"", 1, 4, "cordon spells it \"number\"");
    }
    SUBCASE("empty record") {
        expect_error(parse("a: string\nb: {}\n"), "schema.yaml: b: empty record", 2, 4);
        expect_error(parse("a:\n  - {}\n"), "schema.yaml: a[0]: empty record", 2, 5);
    }
    SUBCASE("a list holds exactly one element") {
        expect_error(parse("a: []\n"), "schema.yaml: a: a list declares exactly one element, found 0", 1, 4);
        expect_error(parse("x:\n  a: [string, number]\n"),
                     "schema.yaml: x.a: a list declares exactly one element, found 2", 2, 6);
    }
    SUBCASE("id is reserved at the root") {
        expect_error(parse("name: string\nid: string\n"),
                     "schema.yaml: id: \"id\" is reserved for the request envelope and cannot be declared", 2, 1);
        CHECK(parse("customer: { id: string }\n").schema.has_value());
    }
    SUBCASE("time at the root is a date") {
        expect_error(parse("time: number\n"),
                     "schema.yaml: time: \"time\" is the request's evaluation date and must be declared as date or date?",
                     1, 7);
        expect_error(parse("time: { a: date }\n"),
                     "schema.yaml: time: \"time\" is the request's evaluation date and must be declared as date or date?",
                     1, 7);
        CHECK(parse("time: date\n").schema.has_value());
        CHECK(parse("x: { time: number }\n").schema.has_value());
    }
    SUBCASE("nested lists are not supported") {
        expect_error(parse("a:\n  - { b: [string] }\n"), "schema.yaml: a[0].b: nested lists are not supported", 2, 10);
        expect_error(parse("a: [[string]]\n"), "schema.yaml: a[0]: nested lists are not supported", 1, 5);
        expect_error(parse("a:\n  - r:\n      s: [number]\n"), "schema.yaml: a[0].r.s: nested lists are not supported",
                     3, 10);
    }
    SUBCASE("field names are identifiers") {
        expect_error(parse("hq-country: country\n"), "schema.yaml: hq-country: invalid field name \"hq-country\"", 1, 1);
        const auto p = parse("count?: number\n");
        expect_error(p, "schema.yaml: count?: invalid field name \"count?\"", 1, 1,
                     "mark an optional field in its type: count: number?");
    }
    SUBCASE("enum values are non-empty and unique") {
        expect_error(parse("a: enum[x, , y]\n"), "schema.yaml: a: empty value in \"enum[x, , y]\"", 1, 4);
        expect_error(parse("a: enum[x, y, x]\n"), "schema.yaml: a: duplicate value \"x\" in \"enum[x, y, x]\"", 1, 4);
        expect_error(parse("a: enum[]\n"), "schema.yaml: a: enum[] has no values", 1, 4);
        expect_error(parse("a: enum\n"), "schema.yaml: a: \"enum\" needs its values", 1, 4);
    }
    SUBCASE("a list element cannot be optional") {
        expect_error(parse("a: [string?]\n"), "schema.yaml: a[0]: a list element cannot be optional", 1, 5);
    }
    SUBCASE("missing type") {
        expect_error(parse("a:\nb: string\n"), "schema.yaml: a: missing type", 1, 1);
    }
    SUBCASE("declared twice") {
        expect_error(parse("a: string\nb: bool\na: number\n"), "schema.yaml: a: declared twice", 3, 1);
    }
    SUBCASE("the document is a map") {
        expect_error(parse("- a\n"), "schema.yaml: expected a map of attribute names to types, found a list", 1, 1);
        expect_error(parse("# nothing\n"), "schema.yaml: the schema is empty", 1, 1);
    }
    SUBCASE("malformed YAML is an error at yaml-cpp's mark") {
        const auto p = parse("a: string\nb: [string\nc: number\n");
        CHECK_FALSE(p.schema.has_value());
        REQUIRE(p.diags.items().size() == 1);
        const auto& d = p.diags.items()[0];
        CHECK(d.code == diag::kSchema);
        CHECK(d.message.rfind("schema.yaml: malformed YAML: ", 0) == 0);
        CHECK(p.sources.line_col(d.span.file, d.span.begin).line == 3);
    }
    SUBCASE("several errors are reported in one run") {
        const auto p = parse("a: strng\nb: {}\nc: bool\n");
        CHECK_FALSE(p.schema.has_value());
        REQUIRE(p.diags.items().size() == 2);
        CHECK(p.diags.items()[0].message == "schema.yaml: a: unknown type \"strng\"");
        CHECK(p.diags.items()[1].message == "schema.yaml: b: empty record");
    }
}

TEST_CASE("schema: load_schema reads files") {
    namespace fs = std::filesystem;
    const auto dir = fs::temp_directory_path() / ("cordon-schema-test-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir);
    const auto path = (dir / "schema.yaml").string();
    {
        std::ofstream out(path);
        out << kLanguageSchema;
    }
    SUBCASE("a valid file") {
        SourceMap sources;
        Diagnostics diags;
        const auto schema = load_schema(path, sources, diags);
        REQUIRE(schema.has_value());
        CHECK(schema->root.fields.size() == 6);
        CHECK(sources.path(schema->root.find("license")->span.file) == path);
    }
    SUBCASE("a missing file is an I/O error naming the path") {
        SourceMap sources;
        Diagnostics diags;
        const auto missing = (dir / "nope.yaml").string();
        CHECK_FALSE(load_schema(missing, sources, diags).has_value());
        REQUIRE(diags.items().size() == 1);
        CHECK(diags.items()[0].code == diag::kIo);
        CHECK(diags.items()[0].message.find(missing) != std::string::npos);
    }
    fs::remove_all(dir);
}

TEST_CASE("a malformed-YAML error at the end of the text has a span inside the text (found by fuzz_yaml)") {
    for (const std::string& text : {std::string(1, '\0'), std::string("x: \"\\q"), std::string("a: [[]")}) {
        const auto p = parse(text);
        CHECK_FALSE(p.schema.has_value());
        REQUIRE_FALSE(p.diags.items().empty());
        for (const auto& d : p.diags.items()) {
            CHECK(d.span.begin <= d.span.end);
            CHECK(d.span.end <= text.size());
        }
    }
}

TEST_CASE("an attribute path is at most 256 bytes: a longer one is an error at its field, whose record is not read") {
    CHECK(kAttributePathBytes == 256);
    const std::string name(254, 'n');
    auto ok = parse("a: {" + name + ": number}\n");  // "a." + 254 = 256
    CHECK_MESSAGE(ok.schema.has_value(), render_all(ok.diags, ok.sources));
    auto over = parse("a: {" + name + "x: {b: number, c: string}}\n");
    CHECK_FALSE(over.schema.has_value());
    REQUIRE(over.diags.items().size() == 1);
    CHECK(over.diags.items()[0].code == diag::kLimit);
    CHECK(over.diags.items()[0].message ==
          "schema.yaml: a: the attribute path of field \"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn...\" would be 257 bytes, more "
          "than the limit of 256");
}
