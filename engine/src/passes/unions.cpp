// Pass `unions`: `x in D5 or x in MACAU` (and `x == "CN" or x == "MO"`, or a mix) on the same
// operand becomes one bitset test on the union, a set of its own (unions equal by content are
// one set). Nested `or`s merge from the inside out. Off: the `or` stays as written.
#include "passes/rewrites.hpp"

#include <algorithm>

namespace cordon {
namespace {

// A test of one operand's membership in a set of strings: `x in S` or `x == "s"`.
struct Membership {
    bool root = true;
    std::int32_t slot = -1;
    std::int32_t variable = -1;   // (element)
    std::uint32_t attr = 0;       // attribute id
    std::int32_t operand = -1;    // the operand's node (kept as the fused node's kid)
    std::vector<std::uint64_t> bits;
    bool same_operand(const Membership& o) const { return root == o.root && slot == o.slot && variable == o.variable && attr == o.attr; }
};

std::optional<Membership> membership(const Program& p, std::int32_t index) {
    const Node& n = p.nodes[index];
    Membership m;
    // One bitset per window of dated data (Program::set_epochs), back to back.
    const std::size_t words = (p.strings.size() + 63) / 64;
    const std::uint32_t windows = p.set_windows();
    m.bits.assign(words * windows, 0);
    m.operand = p.kids_of(n).empty() ? -1 : p.kid(n, 0);
    auto add_set = [&](std::uint32_t set) {
        // (Both are the words of every string today; the smaller is the bound either way.)
        const std::size_t shared = std::min<std::size_t>(p.set_words[set], words);
        for (std::uint32_t win = 0; win < windows; ++win)
            for (std::size_t w = 0; w < shared; ++w) m.bits[win * words + w] |= p.set_bitset(set, win)[w];
    };
    auto add_string = [&](std::uint32_t s) {
        for (std::uint32_t win = 0; win < windows; ++win)
            m.bits[win * words + s / 64] |= std::uint64_t{1} << (s % 64);  // (a program string: below `words`)
    };
    switch (n.op) {
        case NodeOp::AttrInSet: case NodeOp::ElemInSet: add_set(n.fused_set()); break;
        case NodeOp::AttrEqStr: case NodeOp::ElemEqStr:
            if (n.comparison() != NodeOp::Eq) return std::nullopt;  // (its string is an interned constant: compile.cpp, node_accessors_test)
            add_string(n.string_id());
            break;
        default: return std::nullopt;
    }
    m.root = !Node::reads_element(n.op);
    m.slot = n.slot();
    m.attr = n.attribute();
    if (!m.root) m.variable = n.variable();
    return m;
}

}  // namespace

std::optional<std::int32_t> Unions::merge(std::int32_t l, std::int32_t r, Span span) {
    if (!on_) return std::nullopt;
    const std::size_t union_bytes = 2 * 8 * ((p_.strings.size() + 63) / 64) * p_.set_windows();
    if (bytes_ + union_bytes > kUnionBytes) return std::nullopt;  // mutation: skip line: speed only (the `or` as written)
    auto ml = membership(p_, l), mr = membership(p_, r);
    if (!ml || !mr || !ml->same_operand(*mr) || ml->operand < 0) return std::nullopt;
    for (std::size_t w = 0; w < ml->bits.size(); ++w) ml->bits[w] |= mr->bits[w];
    auto [it, fresh] = set_of_bits_.emplace(ml->bits, static_cast<std::uint32_t>(p_.set_words.size()));
    if (fresh) {
        bytes_ += union_bytes;
        p_.set_offset.push_back(static_cast<std::uint32_t>(p_.set_bits.size()));
        p_.set_words.push_back(static_cast<std::uint32_t>(ml->bits.size() / p_.set_windows()));
        p_.set_bits.insert(p_.set_bits.end(), ml->bits.begin(), ml->bits.end());
    }
    const NodeOp op = ml->root ? NodeOp::AttrInSet : NodeOp::ElemInSet;
    return push_(Node::make_read(op, Type::Bool, ml->slot, ml->attr, ml->variable).with_fused_set(it->second),
                 {ml->operand}, span);
}

}  // namespace cordon
