// Rule plans (internal to the engine): the form `Evaluator::decide` runs. See plan.cpp.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "cordon/dsl/checked.hpp"
#include "program/program.hpp"

namespace cordon {

/// Adds a node (hash-consed: an identical node already in the program is returned).
using PushNode = std::function<std::int32_t(const Node&, const std::vector<std::int32_t>&, Span)>;

/// Builds every rule's plan (ProgramRule::plan_*, Program::plan) from its `when` and
/// `unless` trees by the planner's passes (plan.cpp lists them in order). The trees are
/// left as they are: `explain` and tools evaluate them. `options` says which of the
/// passes run (spelled_lets, merge_lets, inline_lets, unions, attr_true, shared_lets, plan,
/// guards, key_tables); the flattening into conjuncts always does.
void plan_rules(const CheckedPolicySet& set, const CompileOptions& options, Program& p, const PushNode& push);

}  // namespace cordon
