// The schema model: every attribute a rule may read, with its type (from schema.yaml).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cordon/dsl/diagnostic.hpp"
#include "cordon/dsl/source.hpp"

namespace cordon {

/// Scalar attribute types. `Country` is a string that must be an ISO 3166-1 alpha-2
/// code (two upper-case letters); `Enum` is a string from a fixed list.
enum class ScalarType : std::uint8_t { String, Number, Bool, Date, Country, Enum };
const char* scalar_type_name(ScalarType t);

/// One declared attribute: a scalar, a nested record, or a list. A list's element is
/// either a record (`element_fields`) or a scalar (`scalar`, with `fields` empty).
struct SchemaField {
    enum class Kind : std::uint8_t { Scalar, Record, List } kind = Kind::Scalar;
    std::string name;
    ScalarType scalar = ScalarType::String;  // Scalar, or a list of scalars
    std::vector<std::string> enum_values;    // when scalar == Enum
    bool optional = false;
    bool list_of_records = false;            // List: element is a record
    std::vector<SchemaField> fields;         // Record fields, or a List's element record
    Span span;                               // where it is declared in schema.yaml

    const SchemaField* find(std::string_view child) const;
};

/// The whole schema: a root record. `time` is always accepted (envelope) and may be
/// declared as `date?` so that rules can read it; `id` is never declared.
struct Schema {
    SchemaField root;  // Kind::Record, name ""
};

/// Loads schema.yaml (registered into `sources`). Errors are kSchema diagnostics at the
/// offending node naming the key path ("schema.yaml: customer.owners[0].share: unknown
/// type \"numbr\""). Field names are identifiers, kept in declaration order.
///
/// Deliberate limit: lists do not nest. A list element (record or scalar) may not
/// contain another list at any depth ("nested lists are not supported"), which keeps
/// quantifiers one level deep and the solver encoding bounded.
std::optional<Schema> load_schema(const std::string& path, SourceMap& sources, Diagnostics& diags);
/// Parses a schema from YAML text already registered as `file`.
std::optional<Schema> parse_schema(const SourceMap& sources, std::uint32_t file, Diagnostics& diags);

}  // namespace cordon
