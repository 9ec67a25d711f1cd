// Rule indexing (internal to the engine): see Program::RuleIndex and index.cpp.
#pragma once
#include "cordon/dsl/checked.hpp"
#include "program/program.hpp"

namespace cordon {

/// Files every rule under the values its plan's conjuncts pin (after plan_rules). With
/// `enabled` false, files none: every rule (but twins and family members) is unindexed.
void index_rules(const CheckedPolicySet& set, Program& p, bool enabled = true);

}  // namespace cordon
