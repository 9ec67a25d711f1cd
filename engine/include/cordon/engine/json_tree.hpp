// A request read without a schema, by the same rules as the request decoder: what
// `cordon screen` reads requests with, so that it refuses exactly what `check` refuses
// for the bytes of the JSON (a key given twice, also when spelt with `\u` escapes; atoms
// such as `nope` or `tXYZ`; invalid UTF-8; nesting, list, string and size limits) and
// can annotate a request by editing its text rather than writing it back re-serialised.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cordon/dsl/limits.hpp"
#include "cordon/engine/request.hpp"

namespace cordon {

struct JsonMember;

/// One JSON value of a request, with where it stands in the text.
struct JsonNode {
    enum class Kind { Null, Bool, Number, String, Array, Object };
    Kind kind = Kind::Null;
    std::size_t begin = 0;  // offset of its first byte: `{`, `[`, `"`, or the atom's first byte
    std::size_t end = 0;    // atoms and strings: offset just past the last byte; containers: 0
    std::string text;       // String: unescaped; Number: the raw token; Bool: "true"/"false"
    std::vector<JsonMember> members;  // Object, in order (keys unescaped, each once)
    std::vector<JsonNode> items;                             // Array

    /// The member named `key` (Object), or null.
    const JsonNode* find(std::string_view key) const;
    bool is_true() const { return kind == Kind::Bool && text == "true"; }
};

/// One member of a JSON object. (A struct, not a std::pair: a pair needs JsonNode complete
/// where the vector is declared, which clang's checks of libstdc++ refuse.)
struct JsonMember {
    std::string key;
    JsonNode value;
};

/// Reads one JSON request (an object) into `out`. Returns the decoder's error (same path
/// and words as RequestDecoder::decode_json) for every fault that does not need a schema.
std::optional<RequestError> read_json_tree(std::string_view text, JsonNode& out, const Limits& limits = {});

/// Reads one YAML request: converted to JSON as RequestDecoder::decode_yaml does (into
/// `json`, which the offsets of `out` refer to), then read_json_tree.
std::optional<RequestError> read_yaml_tree(std::string_view yaml, std::string& json, JsonNode& out,
                                           const Limits& limits = {});

/// `json` (text read_json_tree accepted) on one line: newlines, tabs and carriage returns
/// between tokens become spaces. Strings are untouched (valid JSON has none raw in them).
std::string json_on_one_line(std::string_view json);

}  // namespace cordon
