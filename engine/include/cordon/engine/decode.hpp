// Request decoding: JSON (simdjson on-demand) and YAML text into a Request, checked
// against the schema. Unknown fields, wrong types and bad enum values are errors.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cordon/dsl/checked.hpp"
#include "cordon/dsl/limits.hpp"
#include "cordon/engine/request.hpp"

namespace YAML {
class Node;
}

namespace cordon {

class Program;  // the compiled program: private to the engine (see PolicySet)

/// Bytes that must be readable after a `padded` JSON text (simdjson's SIMDJSON_PADDING).
inline constexpr std::size_t kJsonPadding = 64;

/// Decodes requests for one policy set. Holds the schema walked as per-record field
/// tables, and a simdjson parser: one decoder per thread. A request past one of `limits`
/// (size, nesting, list length, string length) is an input error.
class RequestDecoder {
public:
    RequestDecoder(const CheckedPolicySet& set, const Program& program, const Limits& limits = {});
    ~RequestDecoder();
    RequestDecoder(RequestDecoder&&) noexcept;

    /// Decodes one JSON object. `text` must stay valid while decoding; when `padded`
    /// it must be followed by at least 64 readable bytes (simdjson's padding), which
    /// avoids a copy. Returns an error naming the path on bad input.
    std::optional<RequestError> decode_json(std::string_view text, Request& out, bool padded = false);
    /// Decodes one YAML document (converted to JSON, then decoded as JSON).
    std::optional<RequestError> decode_yaml(std::string_view text, Request& out);

    /// Bytes of buffers kept between requests (the parser's and the copy of the text).
    std::size_t retained_bytes() const;
    /// Releases those buffers when they hold more than `keep` bytes (after a large request).
    void trim(std::size_t keep);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Converts YAML text to JSON text (scalars: quoted stay strings; true/false, null and
/// numbers as in YAML 1.2 core; the tags `!!str`, `!!bool`, `!!int`, `!!float`, `!!null`,
/// `!!map` and `!!seq` are honoured, any other tag refused). Returns nullopt and sets
/// `error` on malformed YAML, on text that is not valid UTF-8 (as the JSON decoder refuses
/// it), and when aliases expand the document past `max_bytes` of JSON.
std::optional<std::string> yaml_to_json(std::string_view yaml, std::string& error,
                                        std::size_t max_bytes = Limits{}.request_bytes);

/// Converts a parsed YAML node to JSON text (throws YAML::Exception or std::runtime_error on
/// bad input, a refused tag, or more than `max_bytes` of JSON through aliases).
std::string yaml_node_to_json(const YAML::Node& node, std::size_t max_bytes = Limits{}.request_bytes);

/// Parses an ISO date ("2024-11-18") or date-time ("2024-11-18T09:00:00Z") to a day.
std::optional<std::int32_t> parse_time_value(std::string_view text);

}  // namespace cordon
