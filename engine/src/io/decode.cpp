// Request decoding: a schema-guided walk over simdjson's on-demand DOM into slots.
#include "cordon/engine/decode.hpp"

#include <algorithm>
#include <array>
#include <bit>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <cctype>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <simdjson.h>
#include <yaml-cpp/yaml.h>

#include "cordon/dsl/parse.hpp"
#include "cordon/dsl/text.hpp"
#include "cordon/dsl/yaml_aliases.hpp"
#include "cordon/engine/json_text.hpp"
#include "cordon/engine/request_time.hpp"
#include "program/program.hpp"
#include "io/json_atoms.hpp"
#include "io/json_problem.hpp"

namespace cordon {

namespace od = simdjson::ondemand;
static_assert(kJsonPadding >= simdjson::SIMDJSON_PADDING);


std::optional<std::int32_t> parse_time_value(std::string_view text) {
    if (text.size() < 10) return std::nullopt;
    auto day = parse_date(text.substr(0, 10));
    if (!day) return std::nullopt;
    if (text.size() == 10) return day;
    // A date-time: YYYY-MM-DDTHH:MM(:SS(.fff)?)?(Z|+HH:MM|-HH:MM)?; the day is taken in UTC.
    const auto rest = text.substr(10);
    if (rest[0] != 'T' && rest[0] != 't' && rest[0] != ' ') return std::nullopt;
    auto digits = [&](std::size_t at, std::size_t n) {
        if (at + n > rest.size()) return -1;
        int v = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (!std::isdigit(static_cast<unsigned char>(rest[at + i]))) return -1;
            v = v * 10 + (rest[at + i] - '0');
        }
        return v;
    };
    const int hh = digits(1, 2), mm = (rest.size() > 3 && rest[3] == ':') ? digits(4, 2) : -1;
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59) return std::nullopt;
    std::size_t at = 6;
    if (at < rest.size() && rest[at] == ':') {
        const int ss = digits(at + 1, 2);
        if (ss < 0 || ss > 60) return std::nullopt;
        at += 3;
        if (at < rest.size() && rest[at] == '.') {  // a fraction of a second: one digit or more
            const std::size_t first = ++at;
            while (at < rest.size() && std::isdigit(static_cast<unsigned char>(rest[at]))) ++at;
            if (at == first) return std::nullopt;
        }
    }
    int offset_minutes = 0;
    if (at < rest.size()) {
        if ((rest[at] == 'Z' || rest[at] == 'z') && at + 1 == rest.size()) {
        } else if ((rest[at] == '+' || rest[at] == '-') && at + 6 == rest.size() && rest[at + 3] == ':') {
            const int oh = digits(at + 1, 2), om = digits(at + 4, 2);
            if (oh < 0 || oh > 23 || om < 0 || om > 59) return std::nullopt;
            offset_minutes = (rest[at] == '+' ? 1 : -1) * (oh * 60 + om);
        } else {
            return std::nullopt;
        }
    }
    const int minutes = hh * 60 + mm - offset_minutes;  // local time minus offset = UTC
    return *day + (minutes < 0 ? -1 : minutes >= 24 * 60 ? 1 : 0);
}

namespace {

struct FieldEntry {
    std::string name;
    std::array<char, 32> padded{};  // the name, zero-padded: compared 16 bytes at a time
    enum Kind : std::uint8_t { Scalar, Record, List } kind = Scalar;
    int attr = -1;    // Scalar
    int record = -1;  // Record (layout index); List of records: element layout
    int list = -1;    // List
};
/// A record's fields, with an open-addressing table from key to field index, at most half
/// full, so that a key is found with one hash and few comparisons (names alike in length
/// and in their first and last bytes share a bucket, and are told apart by the probe).
struct RecordLayout {
    std::vector<FieldEntry> fields;
    std::vector<std::int32_t> table;  // a power of two of entries, at least 64: -1 or a field

    // Duplicate detection for fields past the 64th (a 64-bit mask covers the rest): the
    // object's generation is stamped on each field seen, so clearing costs nothing (64 bits:
    // a generation a nanosecond would take centuries to wrap, so it never starts over).
    std::vector<std::uint64_t> seen_stamp;
    std::uint64_t generation = 0;

    static std::size_t hash(std::string_view k) {  // a bucket only: the probe finds a field from any
        return k.size() * 7u + static_cast<unsigned char>(k.front()) * 31u + static_cast<unsigned char>(k.back());  // mutation: skip line: a bucket only
    }
    void index() {
        seen_stamp.assign(fields.size() > 64 ? fields.size() : 0, 0);
        for (auto& f : fields) {
            f.padded.fill(0);
            std::memcpy(f.padded.data(), f.name.data(), std::min<std::size_t>(f.name.size(), f.padded.size()));
        }
        table.assign(std::bit_ceil(std::max<std::size_t>(64, 2 * fields.size())), -1);
        const std::size_t mask = table.size() - 1;
        for (std::size_t i = 0; i < fields.size(); ++i) {
            std::size_t h = hash(fields[i].name) & mask;
            while (table[h] >= 0) h = (h + 1) & mask;
            table[h] = static_cast<std::int32_t>(i);
        }
    }
    // Whether field `f` is named `k`, where `k` lies in the padded input (so reading 32 bytes
    // from it is safe) and is as long as the name.
    static bool same_key_in_input(const FieldEntry& f, std::string_view k) {
#ifdef __SSE2__
        if (k.size() <= 32) {
            const auto* a = reinterpret_cast<const __m128i*>(k.data());
            const auto* b = reinterpret_cast<const __m128i*>(f.padded.data());
            const unsigned lo = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(a), _mm_loadu_si128(b))));
            const unsigned hi = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(a + 1), _mm_loadu_si128(b + 1))));
            const std::uint32_t eq = lo | (hi << 16);
            const std::uint32_t want = k.size() == 32 ? 0xffffffffu : ((1u << k.size()) - 1);
            return (eq & want) == want;
        }
#endif
        return std::memcmp(f.name.data(), k.data(), k.size()) == 0;
    }
    // The index of field `k`, a key in the padded input, or -1.
    int find_in_input(std::string_view k) const {
        if (k.empty()) return -1;
        const std::size_t mask = table.size() - 1;
        for (std::size_t h = hash(k) & mask;; h = (h + 1) & mask) {
            const int i = table[h];
            if (i < 0) return -1;
            if (fields[i].name.size() == k.size() && same_key_in_input(fields[i], k)) return i;
        }
    }
    // The index of field `k`, a key anywhere (an unescaped copy), or -1: the plain way.
    int find(std::string_view k) const {
        for (std::size_t i = 0; i < fields.size(); ++i)
            if (fields[i].name == k) return static_cast<int>(i);
        return -1;
    }
};

const char* json_type_name(od::json_type t) {
    switch (t) {
        case od::json_type::array: return "a list";
        case od::json_type::object: return "an object";
        case od::json_type::number: return "a number";
        case od::json_type::string: return "a string";
        case od::json_type::boolean: return "a boolean";
        case od::json_type::null: return "null";
    }
    return "a value";
}

}  // namespace

struct RequestDecoder::Impl {
    const CheckedPolicySet& set;
    const Program& program;
    const Limits limits;
    std::vector<RecordLayout> layouts;  // 0 is the root
    od::parser parser;
    // The path being decoded, as key segments (views into the document) with list indices;
    // a path string is built only when there is an error to report.
    struct Segment {
        std::string_view key;
        int index = -1;
    };
    std::vector<Segment> segments;  // Limits::json_depth of them: keys are fewer than levels
    int depth = 0;
    int nest = 0;  // objects and arrays open, the request object included
    std::string path;      // the error path, built by fail()
    std::string scratch;   // padded copy for unpadded input

    // String ids known before any request: every two-letter code (the compiler interns them
    // all when the schema has a country) and each enum's values (the compiler interns them
    // all), so these need no look-up and are never Program::npos (program_invariants_test).
    std::array<std::uint32_t, 26 * 26> country_id{};
    std::vector<std::vector<std::uint32_t>> enum_ids;  // per attribute, parallel to enum_values

    Impl(const CheckedPolicySet& s, const Program& p, const Limits& l)
        : set(s), program(p), limits(l), segments(static_cast<std::size_t>(std::max(l.json_depth, 1))) {
        layouts.emplace_back();
        build(s.schema.root, 0, "", -1);
        for (auto& l : layouts) l.index();
        for (int x = 0; x < 26; ++x)
            for (int y = 0; y < 26; ++y) {
                const char code[2] = {static_cast<char>('A' + x), static_cast<char>('A' + y)};
                country_id[x * 26 + y] = program.find_string(std::string_view(code, 2));
            }
        for (const auto& a : set.attrs.attrs) {
            enum_ids.emplace_back();
            for (const auto& v : a.enum_values) enum_ids.back().push_back(program.find_string(v));
        }
    }

    void build(const SchemaField& rec, int layout, const std::string& prefix, int list) {
        for (const auto& f : rec.fields) {
            FieldEntry e;
            e.name = f.name;
            const std::string path_here = prefix.empty() ? f.name : prefix + "." + f.name;
            switch (f.kind) {
                case SchemaField::Kind::Scalar:
                    e.kind = FieldEntry::Scalar;
                    if (list < 0) {
                        e.attr = set.attrs.attr_by_path.at(path_here);
                    } else {
                        const auto& l = set.attrs.lists[list];
                        e.attr = l.field_by_name.at(path_here.substr(l.path.size() + 3));
                    }
                    break;
                case SchemaField::Kind::Record: {
                    e.kind = FieldEntry::Record;
                    e.record = static_cast<int>(layouts.size());
                    layouts.emplace_back();
                    build(f, e.record, path_here, list);
                    break;
                }
                case SchemaField::Kind::List: {
                    e.kind = FieldEntry::List;
                    e.list = set.attrs.list_by_path.at(path_here);
                    if (f.list_of_records) {
                        e.record = static_cast<int>(layouts.size());
                        layouts.emplace_back();
                        build(f, e.record, path_here + "[]", e.list);
                    }
                    break;
                }
            }
            layouts[layout].fields.push_back(std::move(e));
        }
    }

    std::optional<RequestError> fail(std::string message) {
        path.clear();
        for (int i = 0; i < depth; ++i) {
            if (i) path += '.';
            path += clip(segments[i].key);
            if (segments[i].index >= 0) fmt::format_to(std::back_inserter(path), "[{}]", segments[i].index);
        }
        return RequestError{path, std::move(message)};
    }

    // An error when `val`, typed null, boolean or number by its first byte, is not exactly
    // such an atom (`nope`, `tXYZ`, `0x10`); strings and containers are checked by simdjson.
    // The type test is inline (most values are strings or containers); reading the atom's
    // bytes is not.
    std::optional<RequestError> malformed_atom(od::value& val, od::json_type type) {
        if (type != od::json_type::null && type != od::json_type::boolean && type != od::json_type::number)
            return std::nullopt;
        return malformed_atom_bytes(val);
    }
    [[gnu::noinline]] std::optional<RequestError> malformed_atom_bytes(od::value& val) {
        const std::string_view raw = val.raw_json_token();
        if (well_formed_atom(raw)) return std::nullopt;
        return fail(malformed_value_message(raw));
    }
    // Why a number a rule reads could not be read: not a number at all (`1.5x`, `0x10`), or
    // one out of range (`1e999`).
    std::optional<RequestError> unreadable_number(od::value& val) {
        const std::string_view raw = val.raw_json_token();
        return fail(well_formed_atom(raw) ? detail::number_problem(raw) : malformed_value_message(raw));
    }

    // Why a key cannot be read: the problem of its raw token, from the quote before it to the
    // quote after it (simdjson's first stage found that quote, or refused the document).
    static std::string key_problem(const char* raw) {
        std::size_t n = 0;
        while (raw[n] != '"') n += raw[n] == '\\' ? 2 : 1;
        return "in a key: " + detail::string_problem(std::string_view(raw - 1, n + 2));
    }

    // The key of a field as written, without copying it: the bytes up to the next quote, in
    // the padded input. A key with escapes (`"n\u0061me"`, or `"a\"b"`, cut short at its
    // escaped quote) then matches no field name (names have no backslash), and object()
    // unescapes it only then, so the common key costs nothing extra.
    static std::string_view raw_key(od::field& field) {
        const char* raw = field.key().raw();
        const char* end = raw;
#ifdef __SSE2__
        // The input is padded, so 16-byte loads past a short key are safe.
        for (;;) {
            const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(end));
            const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, _mm_set1_epi8('"'))));
            if (mask) {
                end += __builtin_ctz(mask);
                break;
            }
            end += 16;
        }
#else
        while (*end != '"') ++end;
#endif
        return std::string_view(raw, static_cast<std::size_t>(end - raw));
    }

    // Whether `key` is an envelope field (`id`, `time` at the root): index -2 below.
    static bool envelope_key(std::string_view key, bool root) { return root && (key == "id" || key == "time"); }

    std::optional<RequestError> scalar(od::value& val, const Attribute& a, int attr, Value& slot, Request& req) {
        od::json_type type;
        if (val.type().get(type)) return fail("malformed JSON value");
        // A number or boolean is checked byte by byte as it is read below (simdjson's
        // get_double and get_bool refuse `1.5x`, `tXYZ` and what follows them); every other
        // atom is checked here.
        const bool checked_when_read = (a.type == ScalarType::Number && type == od::json_type::number) ||
                                       (a.type == ScalarType::Bool && type == od::json_type::boolean);
        if (!checked_when_read)
            if (auto e = malformed_atom(val, type)) return e;
        if (type == od::json_type::null) return std::nullopt;  // null is absent
        // A value no rule reads is checked as one that is read, with the same errors; only a
        // string is not copied. (Its raw token bounds its length; an escape is checked by
        // unescaping, into the parser's buffer: no allocation.)
        if (!program.attr_read[attr] && a.type == ScalarType::String && type == od::json_type::string) {
            const std::string_view raw = val.raw_json_token();
            const bool escaped = std::memchr(raw.data(), '\\', raw.size()) != nullptr;
            if (!escaped && raw.size() <= limits.string_bytes + 2) return std::nullopt;
            std::string_view s;
            if (val.get_string().get(s)) return fail(detail::string_problem(raw));
            return s.size() > limits.string_bytes ? too_long(s.size()) : std::nullopt;
        }
        switch (a.type) {
            case ScalarType::Number: {
                double d;
                if (type != od::json_type::number) return fail(fmt::format("expected a number, got {}", json_type_name(type)));
                if (val.get_double().get(d) || !std::isfinite(d)) return unreadable_number(val);
                slot = Value::number(d);
                return std::nullopt;
            }
            case ScalarType::Bool: {
                bool b;
                if (type != od::json_type::boolean)
                    return fail(fmt::format("expected true or false, got {}", json_type_name(type)));
                if (val.get_bool().get(b)) {
                    if (auto e = malformed_atom_bytes(val)) return e;
                    return fail("malformed JSON value");
                }
                slot = Value::boolean(b);
                return std::nullopt;
            }
            default: break;
        }
        std::string_view s;
        if (type == od::json_type::string && val.get_string().get(s))
            return fail(detail::string_problem(val.raw_json_token()));
        if (type != od::json_type::string)
            return fail(fmt::format("expected a {}, got {}",
                                    a.type == ScalarType::Date ? "date (\"YYYY-MM-DD\")"
                                    : a.type == ScalarType::Country ? "country code string"
                                                                    : "string",
                                    json_type_name(type)));
        if (s.size() > limits.string_bytes) return too_long(s.size());
        switch (a.type) {
            case ScalarType::Date: {
                auto day = parse_time_value(s);
                if (!day) return fail(fmt::format("expected a date \"YYYY-MM-DD\", got \"{}\"", clip(s)));
                slot = Value::date(*day);
                return std::nullopt;
            }
            case ScalarType::Country: {
                const unsigned x = static_cast<unsigned char>(s.size() == 2 ? s[0] : 0) - 'A';
                const unsigned y = static_cast<unsigned char>(s.size() == 2 ? s[1] : 0) - 'A';
                if (x >= 26 || y >= 26)
                    return fail(fmt::format(
                        "expected an ISO 3166-1 alpha-2 country code (two upper-case letters), got \"{}\"", clip(s)));
                slot = Value::string(country_id[x * 26 + y]);  // (always a program string: see country_id)
                return std::nullopt;
            }
            case ScalarType::Enum: {
                const auto& values = a.enum_values;
                std::size_t i = 0;
                while (i < values.size() && values[i] != s) ++i;
                if (i == values.size())
                    return fail(fmt::format("\"{}\" is not one of: {}", clip(s), fmt::join(values, ", ")));
                slot = Value::string(enum_ids[attr][i]);  // (always a program string: see enum_ids)
                return std::nullopt;
            }
            default: break;
        }
        slot = Value::string(req.intern_extra(program, s));
        return std::nullopt;
    }

    // Decodes an object of `layout` into `base` (root values, or one element's values).
    std::optional<RequestError> object(od::object obj, int layout, Value* base, Request& req, bool root) {
        if (++nest > limits.json_depth) return too_deep();
        auto& lay = layouts[layout];
        const auto& fields = lay.fields;
        std::uint64_t seen = 0;
        bool seen_id = false, seen_time = false;
        ++lay.generation;
        for (auto field_result : obj) {
            // The field and its value are used in place, never copied: a copy of simdjson's
            // iterator (two narrow stores read back as one 16-byte load) stalls store-to-load
            // forwarding, which cost the decoder a third of its time (docs/benchmarks.md).
            if (auto e = field_result.error())
                return fail(fmt::format("malformed JSON: {}", simdjson::error_message(e)));
            od::field& field = field_result.value_unsafe();
            const char* key_raw = field.key().raw();  // (unescaped_key() consumes the key)
            std::string_view key = raw_key(field);
            int index = envelope_key(key, root) ? -2 : lay.find_in_input(key);
            if (index == -1 && key.find('\\') != std::string_view::npos) {
                // Escapes (RFC 8259: `"n\u0061me"` is "name"): look the unescaped key up.
                if (field.unescaped_key().get(key)) return fail(key_problem(key_raw));
                index = envelope_key(key, root) ? -2 : lay.find(key);
            }
            // No bounds check: every key is inside an object counted by `nest`, so depth < nest
            // <= json_depth == segments.size().
            segments[depth++] = Segment{key, -1};
            if (index == -2) {
                bool& once = key == "id" ? seen_id : seen_time;
                if (once) return fail(kGivenTwiceMessage);
                once = true;
                if (auto e = envelope(key, field.value(), req)) return e;
                --depth;
                continue;
            }
            if (index < 0) {
                std::vector<std::string> names;
                for (const auto& f : fields) names.push_back(f.name);
                const auto near = nearest_name(key, names);  // (none for a key over 64 bytes)
                return fail(near.empty() ? "unknown field (not declared in the schema)"
                                         : fmt::format("unknown field; did you mean \"{}\"?", near));
            }
            if (index < 64) {
                if (seen & (std::uint64_t{1} << index)) return fail(kGivenTwiceMessage);
                seen |= std::uint64_t{1} << index;
            } else {
                auto& stamp = lay.seen_stamp[static_cast<std::size_t>(index)];
                if (stamp == lay.generation) return fail(kGivenTwiceMessage);
                stamp = lay.generation;
            }
            const FieldEntry& fe = fields[index];
            od::value& val = field.value();  // in place, not copied: see the loop's head
            switch (fe.kind) {
                case FieldEntry::Scalar: {
                    const auto& a = set.attrs.attrs[fe.attr];
                    if (auto e = scalar(val, a, fe.attr, base[a.slot], req)) return e;
                    break;
                }
                case FieldEntry::Record: {
                    od::json_type type;
                    if (val.type().get(type)) return fail("malformed JSON value");
                    if (auto e = malformed_atom(val, type)) return e;
                    if (type == od::json_type::null) break;
                    od::object sub;
                    if (type != od::json_type::object || val.get_object().get(sub))
                        return fail(fmt::format("expected an object, got {}", json_type_name(type)));
                    if (auto e = object(sub, fe.record, base, req, false)) return e;
                    break;
                }
                case FieldEntry::List:
                    if (auto e = list(val, fe, req)) return e;
                    break;
            }
            --depth;
        }
        --nest;
        return std::nullopt;
    }

    std::optional<RequestError> too_deep() {
        return fail(too_deep_message(limits.json_depth));
    }
    std::optional<RequestError> too_long(std::size_t size) {
        return fail(too_long_message(size, limits.string_bytes));
    }

    std::optional<RequestError> list(od::value& val, const FieldEntry& fe, Request& req) {
        od::json_type type;
        if (val.type().get(type)) return fail("malformed JSON value");
        if (auto e = malformed_atom(val, type)) return e;
        if (type == od::json_type::null) return std::nullopt;
        od::array arr;
        if (type != od::json_type::array || val.get_array().get(arr))
            return fail(fmt::format("expected a list, got {}", json_type_name(type)));
        if (++nest > limits.json_depth) return too_deep();
        const auto& la = set.attrs.lists[fe.list];
        const auto stride = static_cast<std::uint32_t>(program.lists[fe.list].stride);
        auto& span = req.lists[fe.list];
        span.begin = static_cast<std::uint32_t>(req.elems.size());
        span.count = 0;
        auto& seg = segments[depth - 1];
        for (auto item_result : arr) {
            if (auto e = item_result.error())  // used in place, as the fields in object()
                return fail(fmt::format("malformed JSON: {}", simdjson::error_message(e)));
            od::value& item = item_result.value_unsafe();
            seg.index = static_cast<int>(span.count);
            if (span.count >= limits.list_elements)
                return fail(too_many_elements_message(limits.list_elements));
            const auto at = req.elems.size();
            req.elems.resize(at + stride);
            ++span.count;
            if (la.of_records) {
                od::json_type t;
                od::object o;
                if (item.type().get(t)) return fail("malformed JSON value");
                if (auto e = malformed_atom(item, t)) return e;
                if (t != od::json_type::object || item.get_object().get(o))
                    return fail(fmt::format("expected an object, got {}", json_type_name(t)));
                if (auto e = object(o, fe.record, req.elems.data() + at, req, false)) return e;
            } else {
                // Null is refused by its type: an element no rule reads is skipped unread
                // (left absent), and that is no error.
                od::json_type t;
                if (item.type().get(t)) return fail("malformed JSON value");
                if (auto e = malformed_atom(item, t)) return e;
                if (t == od::json_type::null) return fail("list elements cannot be null");
                const auto& a = set.attrs.attrs[la.fields[0]];
                if (auto e = scalar(item, a, la.fields[0], req.elems[at], req)) return e;
            }
        }
        seg.index = -1;
        --nest;
        return std::nullopt;
    }

    // A number's text as written: its raw token without the JSON white space after it.
    static std::string_view number_text(od::value& val) {
        const std::string_view raw = val.raw_json_token();
        return raw.substr(0, raw.find_last_not_of(" \t\r\n") + 1);
    }

    std::optional<RequestError> envelope(std::string_view key, od::value val, Request& req) {
        std::string_view s;
        od::json_type type;
        if (val.type().get(type)) return fail("malformed JSON value");
        if (auto e = malformed_atom(val, type)) return e;
        if (key == "id") {
            if (type == od::json_type::number) {
                req.id.assign(number_text(val));
                return std::nullopt;
            }
            if (type == od::json_type::string && val.get_string().get(s))
                return fail(detail::string_problem(val.raw_json_token()));
            if (type != od::json_type::string) return fail(fmt::format("expected a string, got {}", json_type_name(type)));
            if (s.size() > limits.string_bytes) return too_long(s.size());
            req.id.assign(s);
            return std::nullopt;
        }
        if (type == od::json_type::null) return std::nullopt;
        if (type == od::json_type::string && val.get_string().get(s))
            return fail(detail::string_problem(val.raw_json_token()));
        if (type != od::json_type::string)
            return fail(fmt::format("expected an ISO date or date-time string, got {}", json_type_name(type)));
        auto day = parse_time_value(s);
        if (!day)
            return fail(fmt::format("expected an ISO date (2024-11-18) or date-time (2024-11-18T09:00:00Z), got \"{}\"", clip(s)));
        if (*day < kFirstRequestDay || *day > kLastRequestDay) return fail(request_day_problem(*day));  // year 0, 9999
        req.time = *day;
        if (program.time_attr >= 0) req.root[program.time_attr] = Value::date(*day);
        return std::nullopt;
    }

    // Starts simdjson on `text`: in place when `padded` (kJsonPadding readable bytes follow
    // it), else on a padded copy in `scratch`.
    simdjson::error_code start(std::string_view text, bool padded, od::document& doc) {
        if (!padded) {
            scratch.assign(text);
            scratch.append(kJsonPadding, '\0');
            text = scratch;
            text.remove_suffix(kJsonPadding);
        }
        return parser.iterate(text.data(), text.size(), text.size() + kJsonPadding).get(doc);
    }

    // After an input error: the top-level `id` if the document has a readable one, wherever
    // it stands (key-sorted serializers put it after the bad field), so the deny carries it.
    void recover_id(std::string_view text, Request& req, bool padded) {
        if (text.size() > limits.request_bytes) return;
        od::document doc;
        if (start(text, padded, doc)) return;
        od::object obj;
        if (doc.get_object().get(obj)) return;
        for (auto field_result : obj) {
            od::field field;
            std::string_view key;
            if (std::move(field_result).get(field) || field.unescaped_key().get(key)) return;
            if (key != "id") continue;
            od::value val = field.value();
            od::json_type type;
            std::string_view s;
            if (val.type().get(type)) return;
            if (!val.get_string().get(s)) {  // a string (a value of another type is left unread)
                if (s.size() <= limits.string_bytes) req.id.assign(s);
            } else if (type == od::json_type::number) {
                req.id.assign(number_text(val));
            }
            return;  // the first `id` only
        }
    }

    std::optional<RequestError> decode(std::string_view text, Request& req, bool padded) {
        req.reset(program);
        depth = 0;
        nest = 0;
        if (text.size() > limits.request_bytes)
            return fail(too_big_message(text.size(), limits.request_bytes));
        od::document doc;
        if (auto err = start(text, padded, doc)) return fail(detail::document_problem(text, simdjson::error_message(err)));
        od::object obj;
        od::json_type type;
        if (auto e = doc.type().get(type)) return fail(detail::document_problem(text, simdjson::error_message(e)));
        // (simdjson takes a document's type from its first character after white space:
        // an object begins with `{`.)
        if (type != od::json_type::object) return fail(not_an_object_message(text));
        if (auto e = doc.get_object().get(obj)) return fail(unread_object_message(text, simdjson::error_message(e)));
        if (auto e = object(obj, 0, req.root.data(), req, true)) return e;
        const char* rest = nullptr;
        if (!doc.current_location().get(rest)) return fail(kTrailingMessage);
        return std::nullopt;
    }
};

RequestDecoder::RequestDecoder(const CheckedPolicySet& set, const Program& program, const Limits& limits)
    : impl_(std::make_unique<Impl>(set, program, limits)) {}

std::size_t RequestDecoder::retained_bytes() const {
    // simdjson keeps about 5 bytes per byte of capacity (structural indexes and strings).
    // (The error path is not counted: it is the schema's field names down to the error,
    // list indices, and at most one key of the request's own, clipped to 80 bytes, so the
    // schema bounds it, not the request.)
    return impl_->parser.capacity() * 5 + impl_->scratch.capacity();
}

void RequestDecoder::trim(std::size_t keep) {
    if (impl_->parser.capacity() * 5 > keep) impl_->parser = od::parser{};
    if (impl_->scratch.capacity() > keep) std::string().swap(impl_->scratch);
}
RequestDecoder::~RequestDecoder() = default;
RequestDecoder::RequestDecoder(RequestDecoder&&) noexcept = default;

std::optional<RequestError> RequestDecoder::decode_json(std::string_view text, Request& out, bool padded) {
    std::optional<RequestError> error;
    try {
        error = impl_->decode(text, out, padded);
    } catch (const std::exception& e) {
        error = impl_->fail(fmt::format("malformed JSON: {}", e.what()));  // (the path where it was thrown)
    }
    if (error && out.id.empty()) {
        try {
            impl_->recover_id(text, out, padded);
        } catch (const std::exception&) {
            out.id.clear();
        }
    }
    return error;
}

std::optional<RequestError> RequestDecoder::decode_yaml(std::string_view text, Request& out) {
    if (text.size() > impl_->limits.request_bytes) {
        out.reset(impl_->program);
        return RequestError{"", too_big_message(text.size(), impl_->limits.request_bytes)};
    }
    std::string error;
    auto json = yaml_to_json(text, error, impl_->limits.request_bytes);
    if (!json) {
        out.reset(impl_->program);
        return RequestError{"", error};
    }
    return decode_json(*json, out, false);
}

namespace {

bool yaml_number(const std::string& text, double& out) {
    // YAML 1.2 core schema numbers. (Scanned as a view: under libstdc++'s assertions, as
    // scripts/mutate.py builds, a read past its end is an error, not the terminator.)
    const std::string_view s = text;
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    bool digits = false;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) { ++i; digits = true; }
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) { ++i; digits = true; }
    }
    if (!digits) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        bool exp = false;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) { ++i; exp = true; }
        if (!exp) return false;
    }
    if (i != s.size()) return false;
    out = std::strtod(text.c_str(), nullptr);
    return std::isfinite(out);
}

// "line 3, column 7" of a node, for errors.
std::string yaml_where(const YAML::Node& n) {
    return fmt::format("line {}, column {}", n.Mark().line + 1, n.Mark().column + 1);
}

// A scalar's tag, as the core schema names it ("str", "int", ...), "" when it has none
// (plain: "?"; quoted: "!"). Other tags are refused: ignoring them changes the meaning.
std::string core_tag(const YAML::Node& n) {
    const std::string& tag = n.Tag();
    if (tag.empty() || tag == "?" || tag == "!") return "";
    constexpr std::string_view prefix = "tag:yaml.org,2002:";
    if (tag.rfind(prefix, 0) == 0) {
        std::string name = tag.substr(prefix.size());
        if (name == "str" || name == "bool" || name == "int" || name == "float" || name == "null" || name == "map" ||
            name == "seq")
            return name;
    }
    throw std::runtime_error(fmt::format("YAML tag `{}` at {} is not supported (only !!str, !!bool, !!int, "
                                         "!!float, !!null, !!map, !!seq)",
                                         excerpt(tag, 40), yaml_where(n)));
}

// What a core-schema tag (as core_tag gives it, "" for none) requires, for errors.
const char* tag_wants(const std::string& tag) {
    return tag == "str" ? "a string" : tag == "bool" ? "a boolean" : tag == "int" ? "an integer"
         : tag == "float" ? "a number" : tag == "null" ? "null" : tag == "map" ? "a mapping" : "a list";
}

// Writes `n` as JSON; `budget` bounds the output, which aliases could make exponential.
void emit(const YAML::Node& n, std::string& out, int depth, std::size_t max_bytes) {
    if (depth > 64) throw std::runtime_error("YAML nested more than 64 levels deep (the limit)");
    if (out.size() > max_bytes)
        throw std::runtime_error(fmt::format("the YAML document expands (through aliases) to more than {} of JSON, "
                                             "the request limit",
                                             bytes_text(max_bytes)));
    const std::string tag = n.Type() == YAML::NodeType::Undefined ? "" : core_tag(n);
    // A value its tag does not fit: "tagged !!int ... is not an integer".
    const auto expect = [&](bool ok) {
        if (!ok) throw std::runtime_error(fmt::format("YAML value tagged !!{} at {} is not {}", tag, yaml_where(n), tag_wants(tag)));
    };
    switch (n.Type()) {
        case YAML::NodeType::Null:  // (untagged: yaml-cpp makes a tagged empty value a scalar "", below)
        case YAML::NodeType::Undefined:
            out += "null";
            return;
        case YAML::NodeType::Scalar: {
            const std::string& s = n.Scalar();
            if (tag == "str" || n.Tag() == "!") {
                append_json_string(out, s);
                return;
            }
            double d;
            if (s == "true" || s == "True" || s == "TRUE") {
                expect(tag.empty() || tag == "bool");
                out += "true";
            } else if (s == "false" || s == "False" || s == "FALSE") {
                expect(tag.empty() || tag == "bool");
                out += "false";
            } else if (s == "null" || s == "~" || s == "Null" || s == "NULL" || (s.empty() && tag == "null")) {
                expect(tag.empty() || tag == "null");
                out += "null";
            } else if (yaml_number(s, d)) {
                expect(tag.empty() || tag == "float" || (tag == "int" && d == std::floor(d)));
                append_json_number(out, d);
            } else {
                expect(tag.empty());
                append_json_string(out, s);
            }
            return;
        }
        case YAML::NodeType::Sequence: {
            expect(tag.empty() || tag == "seq");
            out += '[';
            bool first = true;
            for (const auto& item : n) {
                if (!first) out += ',';
                first = false;
                emit(item, out, depth + 1, max_bytes);
            }
            out += ']';
            return;
        }
        case YAML::NodeType::Map: {
            expect(tag.empty() || tag == "map");
            out += '{';
            bool first = true;
            for (const auto& kv : n) {
                if (!first) out += ',';
                first = false;
                if (!kv.first.IsScalar())
                    throw std::runtime_error(fmt::format("YAML key at {} is not a scalar", yaml_where(kv.first)));
                append_json_string(out, kv.first.Scalar());
                out += ':';
                emit(kv.second, out, depth + 1, max_bytes);
            }
            out += '}';
            return;
        }
    }
}

}  // namespace

std::string yaml_node_to_json(const YAML::Node& node, std::size_t max_bytes) {
    std::string out;
    emit(node, out, 0, max_bytes);
    return out;
}

std::optional<std::string> yaml_to_json(std::string_view yaml, std::string& error, std::size_t max_bytes) {
    // As for JSON requests, text that is not UTF-8 is refused rather than passed on.
    if (const auto bad = first_invalid_utf8(yaml)) {
        error = fmt::format("malformed YAML: the text is not valid UTF-8 (byte 0x{:02X} at byte offset {})",
                            static_cast<unsigned char>(yaml[*bad]), *bad);
        return std::nullopt;
    }
    try {
        const YAML::Node node = YAML::Load(std::string(yaml));
        // Aliases that multiply the request are refused before it is walked: expanding a
        // 667-byte nest of aliases up to the request limit took seconds of CPU.
        if (const auto blowup = alias_blowup(node, yaml)) {
            error = fmt::format("malformed YAML at line {}, column {}: aliases expand the request past {} nodes, "
                                "more than its text holds written out",
                                blowup->line + 1, blowup->column + 1, blowup->limit);
            return std::nullopt;
        }
        return yaml_node_to_json(node, max_bytes);
    } catch (const YAML::Exception& e) {
        error = fmt::format("malformed YAML at line {}, column {}: {}", e.mark.line + 1, e.mark.column + 1,
                            yaml_problem(e));
    } catch (const std::exception& e) {
        error = fmt::format("malformed YAML: {}", yaml_problem(e));
    }
    return std::nullopt;
}

}  // namespace cordon
