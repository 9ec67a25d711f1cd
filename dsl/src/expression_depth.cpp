// The expression-depth limit on a checked set: a rule's condition counted through the lets
// it uses (a chain of lets each using the one before is as deep as all of them together,
// and the compiler and evaluator recurse through it).
#include <algorithm>
#include <fmt/format.h>
#include <utility>
#include <vector>

#include "cordon/dsl/check.hpp"

namespace cordon {

namespace {

// Levels of `root`, a let reference counting as one plus its let's depth; no recursion.
int depth_through_lets(const CExpr& root, const std::vector<int>& let_depth) {
    int deepest = 0;
    std::vector<std::pair<const CExpr*, int>> stack{{&root, 1}};
    while (!stack.empty()) {
        const auto [e, level] = stack.back();
        stack.pop_back();
        int here = level;
        if (e->form == Form::LetRef && e->ref >= 0 && static_cast<std::size_t>(e->ref) < let_depth.size())
            here += let_depth[static_cast<std::size_t>(e->ref)];
        deepest = std::max(deepest, here);
        for (const auto& a : e->args) stack.emplace_back(&a, level + 1);
    }
    return deepest;
}

}  // namespace

bool check_depth_through_lets(const CheckedPolicySet& set, int max_depth, Diagnostics& diags) {
    auto report = [&](const Span& span, const std::string& what, int depth) {
        diags.error(diag::kLimit, span,
                    fmt::format("{} is {} levels deep counting the lets it uses, more than the limit of {}", what,
                                depth, max_depth),
                    "a let used inside a let adds its own depth: shorten the chain of lets");
        return false;
    };
    // A let only uses lets checked before it (lower indices), so one pass in order suffices.
    std::vector<int> let_depth(set.lets.size(), 0);
    for (std::size_t i = 0; i < set.lets.size(); ++i) {
        let_depth[i] = depth_through_lets(set.lets[i].body, let_depth);
        if (let_depth[i] > max_depth) return report(set.lets[i].span, fmt::format("let `{}`", set.lets[i].id), let_depth[i]);
    }
    for (const auto& r : set.rules) {
        int depth = depth_through_lets(r.when, let_depth);
        if (r.unless) depth = std::max(depth, depth_through_lets(*r.unless, let_depth));
        for (const auto& piece : r.because)
            if (piece.expr) depth = std::max(depth, depth_through_lets(*piece.expr, let_depth));
        if (depth > max_depth) return report(r.span, fmt::format("rule `{}`", r.id), depth);
    }
    return true;
}

}  // namespace cordon
