// The schema-free request reader (see json_tree.hpp): simdjson's on-demand parser, as in
// the decoder, walked over every value, with the decoder's checks and messages.
#include "cordon/engine/json_tree.hpp"

#include <exception>
#include <fmt/format.h>
#include <simdjson.h>
#include <unordered_set>

#include "cordon/engine/decode.hpp"
#include "io/json_atoms.hpp"

namespace cordon {

namespace od = simdjson::ondemand;

const JsonNode* JsonNode::find(std::string_view key) const {
    for (const auto& [k, v] : members)
        if (k == key) return &v;
    return nullptr;
}

namespace {

struct TreeReader {
    const Limits& limits;
    const char* base = nullptr;  // the padded copy the offsets count from
    struct Segment {
        std::string key;
        long index = -1;
    };
    std::vector<Segment> segments;
    int nest = 0;

    // The decoder's path form: customer.owners[0].name.
    std::optional<RequestError> fail(std::string message) const {
        std::string path;
        for (const auto& s : segments) {
            if (!path.empty()) path += '.';
            path += s.key;
            if (s.index >= 0) path += fmt::format("[{}]", s.index);
        }
        return RequestError{std::move(path), std::move(message)};
    }

    static std::string_view trimmed(std::string_view raw) {
        while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' || raw.back() == '\r'))
            raw.remove_suffix(1);
        return raw;
    }

    std::optional<RequestError> value(od::value val, JsonNode& out) {
        od::json_type type;
        if (val.type().get(type)) return fail("malformed JSON value");
        const std::string_view raw = val.raw_json_token();
        out.begin = static_cast<std::size_t>(raw.data() - base);
        switch (type) {
            case od::json_type::null:
            case od::json_type::boolean:
            case od::json_type::number: {
                if (!well_formed_atom(raw)) return fail(malformed_value_message(raw));
                const auto atom = trimmed(raw);
                out.end = out.begin + atom.size();
                out.kind = type == od::json_type::null      ? JsonNode::Kind::Null
                           : type == od::json_type::boolean ? JsonNode::Kind::Bool
                                                            : JsonNode::Kind::Number;
                out.text.assign(atom);
                return std::nullopt;
            }
            case od::json_type::string: {
                std::string_view s;
                if (val.get_string().get(s)) return fail("malformed JSON string");
                if (s.size() > limits.string_bytes) return fail(too_long_message(s.size(), limits.string_bytes));
                out.kind = JsonNode::Kind::String;
                out.end = out.begin + trimmed(raw).size();
                out.text.assign(s);
                return std::nullopt;
            }
            case od::json_type::object: {
                od::object obj;
                if (auto e = val.get_object().get(obj)) return fail(fmt::format("malformed JSON: {}", simdjson::error_message(e)));
                return object(obj, out);
            }
            case od::json_type::array: {
                od::array arr;
                if (auto e = val.get_array().get(arr)) return fail(fmt::format("malformed JSON: {}", simdjson::error_message(e)));
                return array(arr, out);
            }
        }
        return fail("malformed JSON value");
    }

    std::optional<RequestError> object(od::object obj, JsonNode& out) {
        if (++nest > limits.json_depth) return fail(too_deep_message(limits.json_depth));
        out.kind = JsonNode::Kind::Object;
        std::unordered_set<std::string_view> seen;  // views into the parser's string buffer
        for (auto field_result : obj) {
            od::field field;
            if (auto e = std::move(field_result).get(field))
                return fail(fmt::format("malformed JSON: {}", simdjson::error_message(e)));
            std::string_view key;  // unescaped: "n\u0061me" is "name" (RFC 8259)
            if (field.unescaped_key().get(key)) return fail("malformed JSON key");
            segments.push_back({std::string(key), -1});
            if (!seen.insert(key).second) return fail(kGivenTwiceMessage);
            JsonNode child;
            if (auto e = value(field.value(), child)) return e;
            out.members.push_back(JsonMember{std::string(key), std::move(child)});
            segments.pop_back();
        }
        --nest;
        return std::nullopt;
    }

    std::optional<RequestError> array(od::array arr, JsonNode& out) {
        if (++nest > limits.json_depth) return fail(too_deep_message(limits.json_depth));
        out.kind = JsonNode::Kind::Array;
        // The root is an object, so an array always has a segment (its key) to index. By
        // position, not by reference: reading an element pushes segments.
        const std::size_t seg = segments.size() - 1;
        const long outer = segments[seg].index;
        for (auto item_result : arr) {
            od::value item;
            if (auto e = std::move(item_result).get(item))
                return fail(fmt::format("malformed JSON: {}", simdjson::error_message(e)));
            segments[seg].index = static_cast<long>(out.items.size());
            if (out.items.size() >= limits.list_elements) return fail(too_many_elements_message(limits.list_elements));
            JsonNode child;
            if (auto e = value(item, child)) return e;
            out.items.push_back(std::move(child));
        }
        segments[seg].index = outer;
        --nest;
        return std::nullopt;
    }
};

std::optional<RequestError> read_tree(std::string_view text, JsonNode& out, const Limits& limits) {
    if (text.size() > limits.request_bytes) return RequestError{"", too_big_message(text.size(), limits.request_bytes)};
    std::string buf(text);
    buf.append(simdjson::SIMDJSON_PADDING, '\0');
    od::parser parser;
    od::document doc;
    if (auto err = parser.iterate(buf.data(), text.size(), buf.size()).get(doc))
        return RequestError{"", fmt::format("malformed JSON: {}", simdjson::error_message(err))};
    od::json_type type;
    if (doc.type().get(type)) return RequestError{"", "malformed JSON: not a JSON value"};
    const auto start = text.find_first_not_of(" \t\r\n");
    if (type != od::json_type::object || start == std::string_view::npos || text[start] != '{')
        return RequestError{"", not_an_object_message(text)};
    od::object obj;
    if (auto e = doc.get_object().get(obj)) return RequestError{"", unread_object_message(text, simdjson::error_message(e))};
    TreeReader reader{limits, buf.data(), {}, 0};
    out = JsonNode{};
    out.begin = start;
    if (auto e = reader.object(obj, out)) return e;
    const char* rest = nullptr;
    if (!doc.current_location().get(rest)) return RequestError{"", kTrailingMessage};
    return std::nullopt;
}

}  // namespace

std::optional<RequestError> read_json_tree(std::string_view text, JsonNode& out, const Limits& limits) {
    try {
        return read_tree(text, out, limits);
    } catch (const std::exception& e) {
        return RequestError{"", fmt::format("malformed JSON: {}", e.what())};
    }
}

std::optional<RequestError> read_yaml_tree(std::string_view yaml, std::string& json, JsonNode& out,
                                           const Limits& limits) {
    json.clear();
    if (yaml.size() > limits.request_bytes) return RequestError{"", too_big_message(yaml.size(), limits.request_bytes)};
    std::string error;
    auto converted = yaml_to_json(yaml, error, limits.request_bytes);
    if (!converted) return RequestError{"", error};
    json = std::move(*converted);
    return read_json_tree(json, out, limits);
}

std::string json_on_one_line(std::string_view json) {
    std::string out(json);
    bool in_string = false;
    for (std::size_t i = 0; i < out.size(); ++i) {
        const char c = out[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '\n' || c == '\r' || c == '\t') {
            out[i] = ' ';
        }
    }
    return out;
}

}  // namespace cordon
