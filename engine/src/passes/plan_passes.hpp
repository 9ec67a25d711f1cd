// The planner's passes over whole rules (internal to passes/): they run after the node
// rewrites (rewrites.hpp), in the order declared here. See plan.cpp.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "passes/node_facts.hpp"

namespace cordon {

/// Not a pass (always runs; conjuncts.cpp): each rule's rewritten `when` becomes its plan,
/// the list of its top-level conjuncts (ProgramRule::plan_first/plan_count), each with its
/// place as written; `not c` is the step "run c, expect false". Invariant: the rule's
/// `when` is true when every step holds, false when one is false, else the error of its
/// leftmost failing step (Kleene `and`).
void flatten_conjuncts(const std::vector<std::int32_t>& when, Program& p);

/// Pass `plan` (conjuncts.cpp): each rule's steps run cheapest and likeliest false first.
/// Invariant: each step keeps its place as written, so the rule still reports the error of
/// its leftmost failing conjunct whatever the order.
void order_conjuncts(const NodeFacts& facts, Program& p, bool on);

/// Pass `guards` (guards.cpp): the lets most rules require (up to 64) become guards
/// (Program::guards, Program::rule_guards). Invariant: a rule requiring a guard found
/// false is false, whatever its other conjuncts do; a guard that fails skips nothing.
void choose_guards(Program& p, bool on);

/// Pass `key_tables` (key_tables.cpp): a costly let whose value depends on one string
/// attribute once some others are absent gets a table of its values by string id
/// (Program::key_tables, Program::let_key_table). Invariant: the table applies only when
/// those others are absent, and then holds the let's value for every string (in every
/// window of days, when the let reads dated data).
void build_key_tables(const CheckedPolicySet& set, const NodeFacts& facts, Program& p, bool on);
/// The most work (nodes evaluated: strings x windows x the let's cost, summed) spent filling
/// key tables: lets past it keep no table and run as written (a few million for policies/us).
inline constexpr std::size_t kKeyTableWork = std::size_t{1} << 26;

}  // namespace cordon
