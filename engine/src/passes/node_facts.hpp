// What the planner's passes know of each node (internal to passes/): see node_facts.cpp.
#pragma once
#include <cstdint>
#include <vector>

#include "cordon/dsl/checked.hpp"
#include "program/program.hpp"

namespace cordon {

/// A fused node (AttrInSet ... AttrTrue): one step reading one value.
inline bool is_fused(NodeOp op) { return op >= NodeOp::AttrInSet; }
/// A node that reads one request value or none (no bound variable): cheaper than a let look-up.
inline bool is_leaf(NodeOp op) {
    return op == NodeOp::Const || op == NodeOp::Attr || op == NodeOp::Has || op == NodeOp::AttrInSet ||
           op == NodeOp::AttrCmpNum || op == NodeOp::AttrEqStr || op == NodeOp::AttrTrue;
}
inline bool is_quantifier(NodeOp op) {
    return op == NodeOp::Any || op == NodeOp::All || op == NodeOp::Count || op == NodeOp::Sum;
}

/// The analysis the passes share, made once: per node, how many parents it has, what it
/// costs, which bound variables it reads, how often it is likely true, and whether it is a
/// let's body. `refs` and `let_root` describe the program as compiled (what the rewrites
/// ask); `extend` adds the cost, variables and likelihood of nodes the rewrites appended,
/// by the same rules (kids come before their parents, so old nodes keep their facts).
class NodeFacts {
public:
    NodeFacts(const CheckedPolicySet& set, const Program& p);
    /// Facts for the nodes appended since (the rewrites' nodes), for the passes after them.
    void extend();

    std::vector<std::int32_t> refs;      // parents (and rules whose `when`/`unless` it is)
    std::vector<double> cost;            // steps to evaluate, a let read paying its whole body
    std::vector<double> p_true;          // a guess at how often it is true (see likelihood)
    std::vector<std::uint64_t> free;     // bound variables read but not bound inside (bit per depth)
    std::vector<std::uint8_t> let_root;  // the body of a let: cached already

private:
    void analyse(std::size_t from);
    double likelihood(const Node& x, const std::int32_t* kid) const;

    const CheckedPolicySet& set_;
    const Program& p_;
};

}  // namespace cordon
