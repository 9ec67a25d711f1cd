// Limits: the largest inputs cordon accepts (docs/limits.md). A policy set over a limit is
// a diagnostic with file and line; a request over one is an input error (deny).
#pragma once
#include <cstddef>

namespace cordon {

/// Input limits, with defaults that fit any realistic policy set or request. Pass one to
/// `PolicySet::load` (it then governs the set's decoders too) to tighten or loosen them.
struct Limits {
    // Requests (RequestDecoder, the C ABI, every command that decides).
    std::size_t request_bytes = 8u << 20;     // one JSON or YAML request document
    int json_depth = 64;                      // nesting of objects and arrays in a request
    std::size_t list_elements = 10'000;       // elements of one list in a request
    std::size_t string_bytes = 64u << 10;     // one string value in a request (after unescaping)
    // Policy sets (PolicySet::load, cordon lint and every command that loads a set).
    std::size_t rule_file_bytes = 4u << 20;   // one *.cordon file
    int expression_depth = 256;               // levels of one expression tree (a chain of
                                              // N `or` or `+` terms is N levels deep)
    std::size_t rules = 100'000;              // rules in the whole set
    std::size_t inlined_calls = 100'000;      // calls of parameterised lets, each a copy of its body
    std::size_t compiled_data_bytes = 256u << 20;  // the sets' bitsets and tables' key maps and cells
                                              // compile builds: sets x windows of days x strings / 8
                                              // + tables x strings x 4 (x windows when dated) + cells x 16
    // Memory: a worker's request buffers larger than this are released after the request.
    std::size_t retained_buffer_bytes = 1u << 20;
};

/// The largest YAML file of a policy set (cordon.yaml, the schema, a data file) or test
/// file that is read: a larger one (a sparse file of gigabytes) is refused before it is
/// read, not read until memory runs out. Fixed, not in Limits: data of this size is far
/// past any realistic set (a 200,000-member set is about 2 MiB), and reading YAML takes
/// about 85 bytes of memory per byte of text (yaml-cpp's node tree): 1.4 GB at this limit.
inline constexpr std::size_t kYamlFileBytes = 16u << 20;

/// The longest attribute path a schema may declare (`customer.owners.share`): every field
/// holds its whole path, so a bound keeps the schema's memory proportional to its text.
inline constexpr std::size_t kAttributePathBytes = 256;

/// The most cells a table may hold beyond 4 per cell its rows write: rows times columns,
/// counting the cells a row leaves out (every row holds one for every column), may be at
/// most 4 x the cells written + kTableCells. Fixed, not in Limits: a table's memory stays
/// proportional to its text (a cell is 64 bytes), where 100,000 rows that each name a
/// column of their own would make 10 billion cells, about 640 GB.
inline constexpr std::size_t kTableCells = 4096;

}  // namespace cordon
