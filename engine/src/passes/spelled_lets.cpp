// Pass `spelled_lets`: a rule (or let) that spells out a let's body, e.g.
// `d5_or_macau(customer.hq_country) or (has customer.parent_hq_country and ...)` written again
// in another policy, reads the let's cached value instead (nodes are hash-consed: the same
// text is the same node). Off: the expression is evaluated where it is written.
#include "passes/rewrites.hpp"

namespace cordon {

SpelledLets::SpelledLets(const Program& p, const NodeFacts& facts, bool on) {
    for (std::size_t let = 0; let < p.lets.size() && on; ++let) {
        const std::int32_t body = p.lets[let];
        if (body < 0 || facts.free[body] != 0) continue;  // reads a bound variable: one value per binding
        const NodeOp op = p.nodes[body].op;
        // (Too cheap to be worth a cache read. Which bodies qualify is speed only: a let read
        // in place of its own body gives the value the body gives.)
        if (op == NodeOp::Const || op == NodeOp::LetRef || op == NodeOp::Attr || op == NodeOp::Has || is_fused(op)) continue;  // mutation: skip line: speed only (above)
        let_of_body_.emplace(body, static_cast<std::int32_t>(let));
    }
}

std::optional<std::int32_t> SpelledLets::let_of(std::int32_t index) const {
    const auto it = let_of_body_.find(index);
    if (it == let_of_body_.end()) return std::nullopt;
    return it->second;
}

}  // namespace cordon
