// Pass `attr_true`: `has x and x` for a bool attribute x (the shipped policies' `licensed`)
// becomes one AttrTrue node, which the index can pin and the evaluator reads in one step.
// Off: the `and` of `has x` and `x` stays as written.
#include "passes/rewrites.hpp"

namespace cordon {

std::optional<std::int32_t> attr_true(const Program& p, const PushNode& push, std::int32_t l, std::int32_t r, Span span,
                                      bool on) {
    if (!on) return std::nullopt;
    const Node& h = p.nodes[l];
    if (h.op != NodeOp::Has || p.kid(h, 0) != r) return std::nullopt;
    const Node& x = p.nodes[r];
    if (x.op != NodeOp::Attr || x.type != Type::Bool) return std::nullopt;
    return push(Node::make_read(NodeOp::AttrTrue, Type::Bool, x.slot(), x.attribute()), {r}, span);
}

}  // namespace cordon
