// The rewrite walk: every rule's `when` and `unless`, bottom-up, each node once (memoised),
// with the node rewrites applied at each node in this order:
//
//   1. `spelled_lets`: a node that is a let's body becomes a read of that let;
//   2. a let read: the let's body is rewritten (once), then `merge_lets` picks its cache
//      slot and `inline_lets` reads a one-leaf body in place;
//   3. any other node: its kids are rewritten, then `unions` (an `or`) or `attr_true` (an
//      `and`) may replace it; else it is made again if a kid changed;
//   4. `shared_lets`: the result becomes a let of its own if it is worth caching.
//
// Why one walk and not one walk per rewrite: each rewrite's input is the others' output
// below it (a union's side may be a let inlined by `inline_lets`, two lets merge once their
// unions are made), and nodes are numbered in the order they are made, so one walk keeps
// the program (and `cordon compile --print`) as it was when the planner was one function.
// The trees themselves are left as they are: `explain` and the tools evaluate them.
#include "passes/rewrites.hpp"

namespace cordon {
namespace {

class Rewriter {
public:
    Rewriter(const CompileOptions& o, const NodeFacts& facts, Program& p, const PushNode& push)
        : o_(o), facts_(facts), p_(p), push_(push), spelled_(p, facts, o.spelled_lets), merge_(o.merge_lets),
          unions_(p, push, o.unions), let_slot_(p.lets.size(), -1) {}

    // `index` rewritten, or the (rewritten) read of the let whose body it is.
    std::int32_t shared(std::int32_t index) {
        const auto let = spelled_.let_of(index);
        if (!let || index == body_in_progress_) return rewrite(index);
        return rewrite(push_(Node::make_let(*let, p_.nodes[index].type), {}, p_.node_spans[index]));
    }

private:
    // The let that holds let `let`'s rewritten body (its body rewritten on first use).
    std::int32_t let_for(std::int32_t let) {
        if (let_slot_[let] == -1) {  // (not yet rewritten)
            const std::int32_t root = p_.lets[let];
            const std::int32_t outer = body_in_progress_;
            body_in_progress_ = root;
            const std::int32_t fast = rewrite(root);
            body_in_progress_ = outer;
            let_slot_[let] = merge_.let_for(let, root, fast, p_);
        }
        return let_slot_[let];
    }

    std::int32_t read_let(const Node& n, std::int32_t index, Span span) {
        const std::int32_t let = let_for(n.let());
        if (const auto leaf = inline_leaf_let(p_, p_.lets[let], o_.inline_lets)) return *leaf;
        if (let == n.let()) return index;
        return push_(Node(n).with_let(let), {}, span);
    }

    std::int32_t rewrite_kids(const Node& n, std::int32_t index, Span span) {
        const auto own = p_.kids_of(n);
        std::vector<std::int32_t> kids(own.begin(), own.end());
        bool changed = false;
        for (auto& k : kids) {
            const auto f = shared(k);
            changed = changed || f != k;
            k = f;
        }
        std::optional<std::int32_t> merged;
        if (n.op == NodeOp::Or) merged = unions_.merge(kids[0], kids[1], span);
        if (n.op == NodeOp::And) merged = attr_true(p_, push_, kids[0], kids[1], span, o_.attr_true);
        if (merged) return *merged;
        return changed ? push_(n, kids, span) : index;
    }

    std::int32_t rewrite(std::int32_t index) {
        if (auto it = done_.find(index); it != done_.end()) return it->second;
        const Node n = p_.nodes[index];
        const Span span = p_.node_spans[index];
        std::int32_t out = index;
        if (n.op == NodeOp::LetRef) out = read_let(n, index, span);
        else if (n.op != NodeOp::Has && !is_fused(n.op)) out = rewrite_kids(n, index, span);  // (a leaf: itself)
        if (worth_caching(p_, facts_, index, out, o_.shared_lets)) {
            const auto let = static_cast<std::int32_t>(p_.lets.size());
            p_.lets.push_back(out);
            out = push_(Node::make_let(let, n.type), {}, span);
        }
        done_.emplace(index, out);
        return out;
    }

    const CompileOptions& o_;
    const NodeFacts& facts_;
    Program& p_;
    const PushNode& push_;
    SpelledLets spelled_;
    MergeLets merge_;
    Unions unions_;
    std::vector<std::int32_t> let_slot_;                     // let -> the let holding its rewritten body
    std::unordered_map<std::int32_t, std::int32_t> done_;    // node -> rewritten
    std::int32_t body_in_progress_ = -1;                     // the let body being rewritten (not replaced by its own let)
};

}  // namespace

std::vector<std::int32_t> rewrite_rules(const CompileOptions& options, const NodeFacts& facts, Program& p,
                                        const PushNode& push) {
    Rewriter w(options, facts, p, push);
    std::vector<std::int32_t> when(p.rules.size(), -1);
    for (std::size_t i = 0; i < p.rules.size(); ++i) {
        auto& r = p.rules[i];
        when[i] = w.shared(r.when);
        r.plan_unless = r.unless >= 0 ? w.shared(r.unless) : -1;
    }
    return when;
}

}  // namespace cordon
