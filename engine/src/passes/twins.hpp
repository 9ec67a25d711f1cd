// Twin rules (internal to the engine): see Program::twins and twins.cpp.
#pragma once
#include "program/program.hpp"

namespace cordon {

/// Groups rules whose plans are the same (after plan_rules, before index_rules); with
/// `enabled` false, groups none (each rule its own head) but still sets ProgramRule::effects.
void group_twins(Program& p, bool enabled = true);

}  // namespace cordon
