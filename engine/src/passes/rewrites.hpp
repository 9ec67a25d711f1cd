// The planner's node rewrites (internal to passes/): each a pass of its own, switched by its
// CompileOptions member, applied by one bottom-up walk (rewrite_rules, rewrite.cpp).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include "passes/node_facts.hpp"
#include "passes/plan.hpp"

namespace cordon {

/// Pass `spelled_lets` (spelled_lets.cpp): an expression that spells out a let's body reads
/// the let instead. Invariant: it reads the let only where the body reads no bound variable,
/// so the let's one cached value is the expression's value there.
class SpelledLets {
public:
    SpelledLets(const Program& p, const NodeFacts& facts, bool on);
    /// The let whose body `index` is, if `index` is to be replaced by reading it.
    std::optional<std::int32_t> let_of(std::int32_t index) const;

private:
    std::unordered_map<std::int32_t, std::int32_t> let_of_body_;  // body node -> let
};

/// Pass `merge_lets` (let_passes.cpp): lets whose bodies are the same node once rewritten
/// (`c in D5 or c in MACAU` and `c in MACAU or c in D5` are one union) share one cache slot.
/// Invariant: equal nodes compute equal values, so one slot holds both lets' values.
class MergeLets {
public:
    explicit MergeLets(bool on) : on_(on) {}
    /// The let that holds let `let` (body `root`, rewritten to `fast`): an earlier let with
    /// the same rewritten body, `let` itself when unchanged, else a new let of `fast`.
    std::int32_t let_for(std::int32_t let, std::int32_t root, std::int32_t fast, Program& p);

private:
    bool on_;
    std::unordered_map<std::int32_t, std::int32_t> let_of_fast_body_;  // rewritten body -> its let
};

/// Pass `inline_lets` (let_passes.cpp): a let whose rewritten body is one leaf
/// (`licensed = has x and x`) is read in place: the cache costs more than the leaf.
/// Invariant: a leaf reads one request value or none, so it has the let's value wherever read.
std::optional<std::int32_t> inline_leaf_let(const Program& p, std::int32_t body, bool on);

/// Pass `unions` (unions.cpp): `x in A or x in B` (or `x == "a"`) on one operand becomes one
/// test on A ∪ B. Invariant: both sides fail alike when x is absent, so the union is true,
/// false or failed exactly when the `or` is.
class Unions {
public:
    Unions(Program& p, const PushNode& push, bool on) : p_(p), push_(push), on_(on) {}
    /// The union of `l or r`, or nothing when the sides test different operands.
    std::optional<std::int32_t> merge(std::int32_t l, std::int32_t r, Span span);

private:
    Program& p_;
    const PushNode& push_;
    bool on_;
    std::map<std::vector<std::uint64_t>, std::uint32_t> set_of_bits_;  // union bits -> its set
    std::size_t bytes_ = 0;  // of the unions made, counting the copy in set_of_bits_
};

/// The most bytes of bitsets the `unions` pass makes (each union is a set over every string
/// and window of days, kept twice while compiling); past it an `or` stays as written, so
/// 100,000 rules' `or`s over 100,000 strings cannot take gigabytes for speed alone.
inline constexpr std::size_t kUnionBytes = 64u << 20;

/// Pass `attr_true` (attr_true.cpp): `has x and x` for a bool attribute becomes one AttrTrue
/// node. Invariant: AttrTrue is true when x is given and true, else false, as the `and` is
/// (`has x` false makes it false whatever x's read would fail with).
std::optional<std::int32_t> attr_true(const Program& p, const PushNode& push, std::int32_t l, std::int32_t r, Span span,
                                      bool on);

/// Pass `shared_lets` (shared_lets.cpp): whether node `index` of the program as compiled,
/// rewritten to `out`, is cached as a let of its own. Invariant: only expressions reading no
/// bound variable are cached, whose value is then the same wherever they appear.
bool worth_caching(const Program& p, const NodeFacts& facts, std::int32_t index, std::int32_t out, bool on);

/// Rewrites every rule's `when` (returned, by rule) and `unless` (ProgramRule::plan_unless)
/// with the passes above, each node once, in one bottom-up walk (rewrite.cpp).
std::vector<std::int32_t> rewrite_rules(const CompileOptions& options, const NodeFacts& facts, Program& p,
                                        const PushNode& push);

}  // namespace cordon
