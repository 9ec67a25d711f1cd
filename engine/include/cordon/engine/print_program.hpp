// The compiled program as text (`cordon compile --print`), like SQLite's EXPLAIN.
#pragma once
#include <string>

#include "cordon/engine/policy_set.hpp"

namespace cordon {

/// The set's compiled program, byte-stable for one set and one set of passes: a summary,
/// the lets (guards and key tables marked), every rule by name with its plan (pins first,
/// then the other conjuncts in the order they run), `unless`, twins and family, the index
/// keys, then every node (number, operation, type, operands, children).
std::string print_program(const PolicySet& set);

}  // namespace cordon
