// Numbered attributes: the schema's scalar leaves and lists, so that rules and requests
// refer to slots, never to strings, once loading is over.
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "cordon/dsl/schema.hpp"

namespace cordon {

/// A scalar attribute. Outside lists its `slot` indexes the request's root values;
/// inside a list element it indexes the element's values (`list` >= 0).
struct Attribute {
    std::string path;  // "customer.hq_country", or "intermediaries[].country" inside a list
    ScalarType type = ScalarType::String;
    std::vector<std::string> enum_values;
    bool optional = false;
    int list = -1;     // owning list, or -1 at the root
    int slot = 0;
};

/// A list attribute. Elements are records of `fields` (indices into `AttributeIndex::attrs`);
/// a list of scalars has exactly one field whose path ends in "[]".
struct ListAttribute {
    std::string path;                  // "intermediaries", "customer.owners"
    bool of_records = true;
    std::vector<int> fields;           // attribute ids, slot order
    std::unordered_map<std::string, int> field_by_name;  // "country" -> attribute id
};

/// All attributes of a schema, numbered in declaration order.
struct AttributeIndex {
    std::vector<Attribute> attrs;
    std::vector<ListAttribute> lists;
    int root_slots = 0;
    std::unordered_map<std::string, int> attr_by_path;  // root scalars only
    std::unordered_map<std::string, int> list_by_path;

    static AttributeIndex build(const Schema& schema);
    /// Every root path, for "did you mean" suggestions.
    std::vector<std::string> all_paths() const;
};

}  // namespace cordon
