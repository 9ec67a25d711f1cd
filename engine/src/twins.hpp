// Twin rules (internal to the engine): see Program::twins and twins.cpp.
#pragma once
#include "cordon/engine/program.hpp"

namespace cordon {

/// Groups rules whose plans are the same (after plan_rules, before index_rules).
void group_twins(Program& p);

}  // namespace cordon
