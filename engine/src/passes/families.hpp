// Threshold families (internal to the engine): see ProgramRule::family_of and families.cpp.
#pragma once
#include "program/program.hpp"

namespace cordon {

/// Groups rules whose plans differ only in one threshold's constant (after group_twins,
/// before index_rules).
void group_families(Program& p);

}  // namespace cordon
