// Passes over the lets the rewrite walk meets (rewrite.cpp's `let_for`): `merge_lets` and
// `inline_lets`. Each let's body is rewritten once, by the walk; these decide which cache
// slot holds the rewritten body, and whether a reader reads the slot at all.
#include "passes/rewrites.hpp"

namespace cordon {

// Lets of different policies whose bodies differ only in set ids (each policy uses its own
// copy of D5) become the same node once unions of sets are merged by content: they share
// one cache slot. Off: each let keeps a slot of its own (a new one when its body changed).
std::int32_t MergeLets::let_for(std::int32_t let, std::int32_t root, std::int32_t fast, Program& p) {
    if (on_)
        if (const auto it = let_of_fast_body_.find(fast); it != let_of_fast_body_.end()) return it->second;
    std::int32_t out = let;
    if (fast != root) {  // the let's own body stays as written, for `explain` and the trees
        out = static_cast<std::int32_t>(p.lets.size());
        p.lets.push_back(fast);
    }
    if (on_) let_of_fast_body_.emplace(fast, out);
    return out;
}

// Off: a let of one leaf is read through the cache like any other.
std::optional<std::int32_t> inline_leaf_let(const Program& p, std::int32_t body, bool on) {
    if (!on || !is_leaf(p.nodes[body].op)) return std::nullopt;
    return body;
}

}  // namespace cordon
