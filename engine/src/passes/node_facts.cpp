// The planner's analysis, made once per program (NodeFacts): parents, costs, bound
// variables read and likelihoods of every node. Kids come before their parents in `nodes`,
// so one forward walk does it; the nodes the rewrites append are analysed when `extend`
// is called, by the same rules, so no node is analysed twice.
#include "passes/node_facts.hpp"

#include <algorithm>

namespace cordon {

NodeFacts::NodeFacts(const CheckedPolicySet& set, const Program& p) : set_(set), p_(p) {
    const std::size_t n = p_.nodes.size();
    refs.assign(n, 0);
    // mutation: skip from here: refs only tells shared_lets whether an expression is shared enough to cache (cached or not, it has one value)
    for (std::size_t i = 0; i < n; ++i) {
        const Node& x = p_.nodes[i];
        for (const auto kid : p_.kids_of(x)) ++refs[kid];
    }
    for (const auto& r : p_.rules) {  // identical `when`s of two rules are one node
        if (r.when >= 0) ++refs[r.when];
        if (r.unless >= 0) ++refs[r.unless];
    }
    // mutation: skip to here
    let_root.assign(n, 0);
    for (const auto root : p_.lets) let_root[root] = 1;
    analyse(0);
}

void NodeFacts::extend() { analyse(cost.size()); }

// Cost, bound variables and likelihood of nodes [from, nodes.size()).
void NodeFacts::analyse(std::size_t from) {
    const std::size_t n = p_.nodes.size();
    cost.resize(n, 0);
    free.resize(n, 0);
    p_true.resize(n, 0.5);
    for (std::size_t i = from; i < n; ++i) {
        const Node& x = p_.nodes[i];
        const auto kids = p_.kids_of(x);
        const std::int32_t* kid = kids.data();
        std::uint64_t vars = 0;
        double c = 1;
        for (const auto k : kids) {
            vars |= free[k];
            c += cost[k];
        }
        auto var_bit = [](std::int32_t v) { return std::uint64_t{1} << std::min(v, 63); };
        switch (x.op) {
            case NodeOp::Const: c = 0; break;
            case NodeOp::Attr: case NodeOp::Has: case NodeOp::AttrInSet: case NodeOp::AttrCmpNum:
            case NodeOp::AttrEqStr:
                c = 1;
                break;
            case NodeOp::Elem: case NodeOp::ElemInSet: case NodeOp::ElemEqStr:
                c = 1;
                vars |= var_bit(x.variable());
                break;
            case NodeOp::LetRef: {
                const auto root = p_.lets[static_cast<std::size_t>(x.let())];
                c = 1 + cost[root];  // the first reader pays the whole body  // mutation: skip line: cost model only
                vars = 0;
                break;
            }
            case NodeOp::Any: case NodeOp::All: case NodeOp::Count: case NodeOp::Sum:
                c = 4 + 3 * (c - 1);  // a few elements each  // mutation: skip line: cost model only
                if (x.variable() < 63) vars &= ~var_bit(x.variable());
                break;
            default: break;
        }
        cost[i] = c;
        free[i] = vars;
        p_true[i] = likelihood(x, kid);
    }
}

// A guess at how often a condition holds, with no data on requests: a test for one string
// (or a few: a set) is rarely true, `has` usually, a number comparison half the time.
// mutation: skip from here: likelihoods only order conjuncts, cannot change a decision
double NodeFacts::likelihood(const Node& x, const std::int32_t* kid) const {
    auto popcount = [&](std::uint32_t set) {
        double n = 0;
        for (std::uint32_t w = 0; w < p_.set_words[set]; ++w) n += __builtin_popcountll(p_.set_bitset(set, 0)[w]);
        return n;
    };
    switch (x.op) {
        case NodeOp::Const: return x.type == Type::Bool && x.constant().b ? 1.0 : 0.0;
        case NodeOp::AttrEqStr: case NodeOp::ElemEqStr: return x.comparison() == NodeOp::Eq ? 0.1 : 0.9;
        case NodeOp::Eq: return 0.2;
        case NodeOp::Ne: return 0.8;
        case NodeOp::AttrInSet: case NodeOp::ElemInSet: {
            // Of the attribute's values: an enum's, ~250 country codes, else a guess of 50.
            const auto& attr = set_.attrs.attrs[x.attribute()];
            const double domain = attr.type == ScalarType::Enum      ? static_cast<double>(attr.enum_values.size())
                                  : attr.type == ScalarType::Country ? 250.0
                                                                     : 50.0;
            return std::clamp(popcount(x.fused_set()) / domain, 0.02, 0.9);
        }
        case NodeOp::Has: return 0.7;
        case NodeOp::AttrTrue: return 0.3;
        case NodeOp::Not: return 1 - p_true[kid[0]];
        case NodeOp::And: return p_true[kid[0]] * p_true[kid[1]];
        case NodeOp::Or: return 1 - (1 - p_true[kid[0]]) * (1 - p_true[kid[1]]);
        case NodeOp::LetRef: return p_true[p_.lets[static_cast<std::size_t>(x.let())]];
        case NodeOp::Any: return 0.3;
        case NodeOp::All: return 0.7;
        default: return 0.5;
    }
}
// mutation: skip to here

}  // namespace cordon
