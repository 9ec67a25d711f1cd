// Loads schema.yaml into the Schema model: scalar types, records and lists, with spans.
#include "cordon/dsl/schema.hpp"

#include <algorithm>
#include <unordered_set>
#include <variant>

#include <fmt/format.h>

#include "cordon/dsl/limits.hpp"
#include "yaml_util.hpp"

namespace cordon {

const char* scalar_type_name(ScalarType t) {
    switch (t) {
        case ScalarType::String: return "string";
        case ScalarType::Number: return "number";
        case ScalarType::Bool: return "bool";
        case ScalarType::Date: return "date";
        case ScalarType::Country: return "country";
        case ScalarType::Enum: return "enum";
    }
    return "string";
}

const SchemaField* SchemaField::find(std::string_view child) const {
    for (const auto& f : fields)
        if (f.name == child) return &f;
    return nullptr;
}

namespace {

using detail::Reporter;

struct TypeSpec {
    ScalarType type = ScalarType::String;
    std::vector<std::string> values;
    bool optional = false;
};

struct TypeError {
    std::string message;
    std::string hint;
};

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Names people reach for that are not cordon types, and what to write instead.
std::string alias_hint(std::string_view name) {
    static constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
        {"int", "number"},     {"integer", "number"}, {"float", "number"},   {"double", "number"},
        {"decimal", "number"}, {"boolean", "bool"},   {"str", "string"},     {"text", "string"},
        {"datetime", "date"},  {"timestamp", "date"}, {"iso_country", "country"},
    };
    for (const auto& [alias, type] : kAliases)
        if (alias == name) return fmt::format("cordon spells it \"{}\"", type);
    if (name == "list" || name == "array")
        return "declare a list as a YAML sequence holding one element: [string] or - { field: type }";
    if (name == "record" || name == "map" || name == "object") return "declare a record as a nested YAML map";
    return {};
}

// "number", "date?", "enum[a, b]?": whitespace tolerant.
std::variant<TypeSpec, TypeError> parse_type(std::string_view text) {
    TypeSpec spec;
    text = trim(text);
    if (!text.empty() && text.back() == '?') {
        spec.optional = true;
        text = trim(text.substr(0, text.size() - 1));
    }
    if (text.empty()) return TypeError{"missing type", "write one of string, number, bool, date, country, enum[a, b]"};
    if (text.substr(0, 4) == "enum" && (text.size() == 4 || trim(text.substr(4)).front() == '[')) {
        auto rest = trim(text.substr(4));
        if (rest.empty()) return TypeError{"\"enum\" needs its values", "write enum[a, b, c]"};
        if (rest.back() != ']')
            return TypeError{fmt::format("malformed enum type \"{}\"", text), "write enum[a, b, c]"};
        rest = rest.substr(1, rest.size() - 2);
        if (trim(rest).empty()) return TypeError{"enum[] has no values", "write enum[a, b, c]"};
        spec.type = ScalarType::Enum;
        std::unordered_set<std::string_view> seen;
        while (true) {
            const auto comma = rest.find(',');
            const auto value = trim(rest.substr(0, comma));
            if (value.empty())
                return TypeError{fmt::format("empty value in \"{}\"", text), "separate the values with single commas"};
            if (value.find_first_of("[]") != std::string_view::npos)
                return TypeError{fmt::format("malformed enum type \"{}\"", text), "write enum[a, b, c]"};
            if (!seen.insert(value).second)  // a hash set: 100,000 values load in linear time
                return TypeError{fmt::format("duplicate value \"{}\" in \"{}\"", value, text), "list each value once"};
            spec.values.emplace_back(value);
            if (comma == std::string_view::npos) break;
            rest = rest.substr(comma + 1);
        }
        return spec;
    }
    static constexpr std::pair<std::string_view, ScalarType> kScalars[] = {
        {"string", ScalarType::String}, {"number", ScalarType::Number}, {"bool", ScalarType::Bool},
        {"date", ScalarType::Date},     {"country", ScalarType::Country},
    };
    for (const auto& [name, type] : kScalars) {
        if (name == text) {
            spec.type = type;
            return spec;
        }
    }
    std::string hint = alias_hint(text);
    if (hint.empty()) {
        const auto near = nearest_name(std::string(text), {"string", "number", "bool", "date", "country", "enum"});
        if (!near.empty()) hint = fmt::format("did you mean \"{}\"?", near);
        else hint = "the types are string, number, bool, date, country and enum[a, b]";
    }
    return TypeError{fmt::format("unknown type \"{}\"", text), std::move(hint)};
}

std::string join_path(std::string_view prefix, std::string_view name) {
    return prefix.empty() ? std::string(name) : fmt::format("{}.{}", prefix, name);
}

class SchemaParser {
public:
    explicit SchemaParser(Reporter& r) : r_(r) {}

    // Fills `out` with the fields of a record declared by `map`. `in_list` is true
    // inside a list element, where further lists are rejected.
    void parse_record(const YAML::Node& map, const std::string& prefix, bool in_list, bool is_root,
                      std::vector<SchemaField>& out) {
        for (auto it = map.begin(); it != map.end(); ++it) {
            const YAML::Node key = it->first;
            const YAML::Node value = it->second;
            const Span key_span = r_.span(key, r_.start());
            if (!key.IsScalar()) {
                r_.error(key_span, prefix, fmt::format("a field name must be a plain name, found {}", detail::describe(key)));
                continue;
            }
            const std::string& name = key.Scalar();
            if (prefix.size() + 1 + name.size() > kAttributePathBytes) {
                // Every field below holds its whole path: a long name high up, or deep nesting,
                // would make the paths quadratic in the schema's text.
                r_.error(key_span, prefix,
                         fmt::format("the attribute path of field \"{}\" would be {} bytes, more than the limit of {}",
                                     name.substr(0, 32) + (name.size() > 32 ? "..." : ""),
                                     prefix.size() + (prefix.empty() ? 0 : 1) + name.size(), kAttributePathBytes),
                         "use shorter names or fewer levels of records", diag::kLimit);
                continue;
            }
            const std::string path = join_path(prefix, name);
            if (!detail::is_identifier(name)) {
                std::string hint = "field names are identifiers: letters, digits and _, not starting with a digit";
                if (!name.empty() && name.back() == '?' && detail::is_identifier(name.substr(0, name.size() - 1)))
                    hint = fmt::format("mark an optional field in its type: {}: number?", name.substr(0, name.size() - 1));
                r_.error(key_span, path, fmt::format("invalid field name \"{}\"", name), std::move(hint));
                continue;
            }
            if (!seen_.insert(path).second) {
                r_.error(key_span, path, "declared twice", "remove one of the declarations");
                continue;
            }
            if (is_root && name == "id") {
                r_.error(key_span, path, "\"id\" is reserved for the request envelope and cannot be declared",
                         "rename the attribute, e.g. customer_id");
                continue;
            }
            auto field = parse_field(name, key_span, value, path, in_list);
            if (!field) continue;
            if (is_root && name == "time" &&
                !(field->kind == SchemaField::Kind::Scalar && field->scalar == ScalarType::Date)) {
                r_.error(r_.span(value, key_span), path,
                         "\"time\" is the request's evaluation date and must be declared as date or date?",
                         "write time: date?");
                continue;
            }
            out.push_back(std::move(*field));
        }
    }

private:
    std::optional<SchemaField> parse_field(const std::string& name, Span key_span, const YAML::Node& value,
                                           const std::string& path, bool in_list) {
        SchemaField field;
        field.name = name;
        field.span = key_span;
        const Span value_span = r_.span(value, key_span);
        if (value.IsMap()) {
            if (value.size() == 0) {
                r_.error(value_span, path, "empty record", "declare at least one field, or remove the record");
                return std::nullopt;
            }
            field.kind = SchemaField::Kind::Record;
            const auto before = errors();
            parse_record(value, path, in_list, false, field.fields);
            if (errors() != before) return std::nullopt;
            return field;
        }
        if (value.IsSequence()) {
            if (in_list) {
                r_.error(value_span, path, "nested lists are not supported",
                         "a list element cannot contain another list; declare it as a separate list");
                return std::nullopt;
            }
            if (value.size() != 1) {
                r_.error(value_span, path,
                         fmt::format("a list declares exactly one element, found {}", value.size()),
                         "write - { field: type, ... } for a list of records or [string] for a list of strings");
                return std::nullopt;
            }
            field.kind = SchemaField::Kind::List;
            const YAML::Node element = value[0];
            const std::string element_path = path + "[0]";
            const Span element_span = r_.span(element, value_span);
            if (element.IsMap()) {
                if (element.size() == 0) {
                    r_.error(element_span, element_path, "empty record",
                             "declare at least one field of the list's element");
                    return std::nullopt;
                }
                field.list_of_records = true;
                const auto before = errors();
                parse_record(element, element_path, true, false, field.fields);
                if (errors() != before) return std::nullopt;
                return field;
            }
            if (element.IsSequence()) {
                r_.error(element_span, element_path, "nested lists are not supported",
                         "a list element cannot be another list");
                return std::nullopt;
            }
            if (!element.IsScalar()) {
                r_.error(element_span, element_path, "missing element type", "write [string] or - { field: type }");
                return std::nullopt;
            }
            auto spec = parse_scalar(element, element_span, element_path);
            if (!spec) return std::nullopt;
            if (spec->optional) {
                r_.error(element_span, element_path, "a list element cannot be optional",
                         "drop the ?: an absent list is an empty list");
                return std::nullopt;
            }
            field.scalar = spec->type;
            field.enum_values = std::move(spec->values);
            return field;
        }
        if (value.IsScalar()) {
            auto spec = parse_scalar(value, value_span, path);
            if (!spec) return std::nullopt;
            field.kind = SchemaField::Kind::Scalar;
            field.scalar = spec->type;
            field.enum_values = std::move(spec->values);
            field.optional = spec->optional;
            return field;
        }
        r_.error(value_span, path, "missing type",
                 "write a type (name: string), a nested map for a record, or a list");
        return std::nullopt;
    }

    std::optional<TypeSpec> parse_scalar(const YAML::Node& node, Span span, const std::string& path) {
        auto parsed = parse_type(node.Scalar());
        if (auto* err = std::get_if<TypeError>(&parsed)) {
            r_.error(span, path, err->message, std::move(err->hint));
            return std::nullopt;
        }
        return std::get<TypeSpec>(std::move(parsed));
    }

    std::size_t errors() const { return r_.errors(); }

    Reporter& r_;
    std::unordered_set<std::string> seen_;  // a hash set: 100,000 fields read in linear time
};

}  // namespace

std::optional<Schema> parse_schema(const SourceMap& sources, std::uint32_t file, Diagnostics& diags) {
    Reporter r(sources, file, diag::kSchema, diags);
    try {
        auto doc = detail::parse_yaml(sources, file, diag::kSchema, diags);
        if (!doc) return std::nullopt;
        if (doc->IsNull()) {
            r.error(r.start(), "", "the schema is empty", "declare the attributes rules may read, e.g. customer: { country: country }");
            return std::nullopt;
        }
        if (!doc->IsMap()) {
            r.error(r.span(*doc, r.start()), "",
                    fmt::format("expected a map of attribute names to types, found {}", detail::describe(*doc)));
            return std::nullopt;
        }
        Schema schema;
        schema.root.kind = SchemaField::Kind::Record;
        schema.root.span = r.start();
        SchemaParser parser(r);
        parser.parse_record(*doc, "", false, true, schema.root.fields);
        if (r.failed()) return std::nullopt;
        if (schema.root.fields.empty()) {
            r.error(r.start(), "", "the schema is empty");
            return std::nullopt;
        }
        return schema;
    } catch (const std::exception& e) {
        r.error(r.start(), "", fmt::format("cannot read the schema: {}", e.what()));
        return std::nullopt;
    }
}

std::optional<Schema> load_schema(const std::string& path, SourceMap& sources, Diagnostics& diags) {
    const auto file = detail::read_source(path, sources, diags);
    if (!file) return std::nullopt;
    return parse_schema(sources, *file, diags);
}

}  // namespace cordon
