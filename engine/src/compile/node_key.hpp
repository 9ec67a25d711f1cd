// The identity of a compiled node for hash-consing (engine/src/compile/compile.cpp, `push`): two
// nodes with equal keys compute the same value on every request, so the compiler keeps one.
#pragma once
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "program/program.hpp"

namespace cordon {

/// What makes two nodes the same: operator, type, fused comparison, operands (`a_`, `b_`),
/// constant, children, and, for attribute reads, the text as written and its length
/// (`explain` shows a node's source, so `p.country` and a parameter standing for it are
/// not merged).
struct NodeKey {
    NodeOp op = NodeOp::Const;
    Type type = Type::Bool;
    NodeOp sub = NodeOp::Const;
    std::int32_t a = -1, b = -1;
    Value::Tag k_tag = Value::Tag::Absent;
    std::uint32_t k_aux = 0;
    std::uint64_t k_bits = 0;  // the constant's payload, bit for bit (so -0.0 and 0.0 differ)
    std::string as_written;
    std::uint32_t written_length = 0;
    std::vector<std::int32_t> kids;

    NodeKey(const Node& n, const std::vector<std::int32_t>& children, std::string_view written, std::uint32_t length)
        : op(n.op), type(n.type), sub(n.sub_), a(n.a_), b(n.b_), k_tag(n.k_.tag), k_aux(n.k_.aux),
          as_written(written), written_length(written.empty() ? 0 : length), kids(children) {
        static_assert(sizeof n.k_.n == sizeof k_bits);
        std::memcpy(&k_bits, &n.k_.n, sizeof k_bits);
    }

    friend bool operator==(const NodeKey&, const NodeKey&) = default;
};

/// FNV-1a over the key's fields.
struct NodeKeyHash {
    std::size_t operator()(const NodeKey& k) const noexcept {
        std::uint64_t h = 14695981039346656037ull;
        const auto mix = [&h](std::uint64_t v) { h = (h ^ v) * 1099511628211ull; };
        mix(static_cast<std::uint64_t>(k.op) | static_cast<std::uint64_t>(k.type) << 8 |
            static_cast<std::uint64_t>(k.sub) << 16 | static_cast<std::uint64_t>(k.k_tag) << 24);
        mix(static_cast<std::uint32_t>(k.a) | static_cast<std::uint64_t>(static_cast<std::uint32_t>(k.b)) << 32);
        mix(k.k_aux);
        mix(k.k_bits);
        mix(std::hash<std::string>{}(k.as_written));
        mix(k.written_length);
        for (auto c : k.kids) mix(static_cast<std::uint32_t>(c));
        return static_cast<std::size_t>(h);
    }
};

}  // namespace cordon
