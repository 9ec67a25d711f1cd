// The constants a program is compiled over: every string it can name and the days its
// dated data changes on. compile() interns them in this order; data_size() sizes what
// is built over them (a bitset per set and window of days, a key map per table) before
// anything is built, so that a set too large to compile is refused with a diagnostic
// (Limits::compiled_data_bytes) instead of exhausting memory.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cordon/dsl/checked.hpp"

namespace cordon {

/// Calls `add` for every constant string of `set` (enum values, every two-letter code
/// when some attribute is a country, set members, table keys and string cells, string
/// literals of lets, rules and messages), duplicates included.
void each_constant_string(const CheckedPolicySet& set, const std::function<void(const std::string&)>& add);

/// Every `since` and `until` of a dated set member or table row: sorted, unique.
std::vector<std::int32_t> data_epochs(const CheckedPolicySet& set);

/// What compile() builds over the constants, in bytes: one bitset over every string per
/// set and window of days (the sets of data files and literals), and per table one key
/// map over every string (per window, when dated) and its cells. The passes that build
/// more for speed (unions, key tables) keep to fixed budgets of their own.
struct DataSize {
    std::size_t strings = 0;
    std::size_t windows = 1;
    std::size_t bitsets = 0;  // the sets
    std::size_t bytes = 0;
};
inline constexpr std::size_t kValueBytes = 16;  // a table cell in the program (Value)
DataSize data_size(const CheckedPolicySet& set);

}  // namespace cordon
