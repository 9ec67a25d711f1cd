// Pass `shared_lets`: an expression several rules share (e.g. `any p in intermediaries: ...`
// repeated in 2,000 rules) that reads no bound variable, and is a quantifier or costs six
// steps or more once its own lets are cached, becomes a let of its own: evaluated at most
// once per request. A cheap one is evaluated in place (reading the cache costs more).
// Off: every reader evaluates it.
#include "passes/rewrites.hpp"

namespace cordon {
namespace {

// What evaluating a node costs once the lets it reads are cached (a let read costs 1):
// the measure of whether a shared expression is worth a cache slot of its own. Same
// scale as NodeFacts::cost (a leaf 1, a quantifier about four times its body).
// mutation: skip from here: cost model only, cannot change a decision (cached or not, a let has one value)
double own_cost(const Program& p, std::int32_t index) {
    const Node& x = p.nodes[index];
    if (x.op == NodeOp::Const) return 0;
    if (x.op == NodeOp::LetRef || x.op == NodeOp::Attr || x.op == NodeOp::Elem || x.op == NodeOp::Has || is_fused(x.op))
        return 1;
    double c = 1;
    for (const auto kid : p.kids_of(x)) c += own_cost(p, kid);
    return is_quantifier(x.op) ? 4 + 3 * (c - 1) : c;
}
// mutation: skip to here

}  // namespace

bool worth_caching(const Program& p, const NodeFacts& facts, std::int32_t index, std::int32_t out, bool on) {
    const NodeOp op = p.nodes[out].op;
    // (Not an `and`: a rule's conjuncts are flattened and each is planned on its own.)
    const bool cheap = op == NodeOp::Const || op == NodeOp::LetRef || op == NodeOp::Attr || op == NodeOp::Has ||
                       op == NodeOp::And || is_fused(op);
    if (!on || cheap || static_cast<std::size_t>(index) >= facts.refs.size()) return false;
    // Safe: it reads no bound variable, so it has one value per request.
    if (facts.free[index] != 0) return false;
    // Worth it: shared, not a let's body already, and costly or a quantifier. (A body of a
    // few steps over cached values is cheaper to evaluate than to cache.)
    return !facts.let_root[index] && facts.refs[index] >= 2 && (is_quantifier(op) || own_cost(p, out) >= 6);  // mutation: skip line: speed only (cached or not, the expression has one value)
}

}  // namespace cordon
