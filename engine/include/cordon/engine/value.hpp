// Value: the 16-byte scalar the evaluator computes with; strings are interned ids.
#pragma once
#include <cstdint>

namespace cordon {

/// A runtime value. `Absent` is an attribute the request did not give; `Error` carries
/// why an expression could not be evaluated (see ErrorKind), which fails its rule closed.
struct Value {
    enum class Tag : std::uint8_t { Absent, Bool, Number, String, Date, Error };
    Tag tag = Tag::Absent;
    std::uint32_t aux = 0;  // Error: detail (attribute id / string id of a missing key)
    union {
        bool b;
        double n;
        std::uint32_t s;  // interned string id
        std::int32_t d;   // days since 1970-01-01
        std::uint32_t err;
    };
    Value() : n(0) {}

    static Value boolean(bool v) { Value x; x.tag = Tag::Bool; x.b = v; return x; }
    static Value number(double v) { Value x; x.tag = Tag::Number; x.n = v; return x; }
    static Value string(std::uint32_t id) { Value x; x.tag = Tag::String; x.s = id; return x; }
    static Value date(std::int32_t v) { Value x; x.tag = Tag::Date; x.d = v; return x; }
    static Value error(std::uint32_t kind, std::uint32_t detail, std::uint32_t detail2 = 0) {
        Value x; x.tag = Tag::Error; x.err = (kind << 24) | detail; x.aux = detail2; return x;
    }
    bool is_error() const { return tag == Tag::Error; }
    bool present() const { return tag != Tag::Absent; }
};

/// Why an expression failed. Packed in Value::err's top byte; the rest is the detail.
enum ErrorKind : std::uint32_t {
    kAbsentAttribute = 1,  // detail: attribute id
    kMissingTableKey = 2,  // detail: table id, aux: key string id
    kMissingTableCell = 3, // detail: table id, aux: column
    kDivisionByZero = 4,
    kNonFinite = 5,        // arithmetic produced NaN or infinity
};

}  // namespace cordon
