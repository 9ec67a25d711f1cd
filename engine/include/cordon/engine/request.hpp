// Request: a request's attribute values in slots, ready for the evaluator.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cordon/engine/value.hpp"

namespace cordon {

class Program;  // the compiled program: private to the engine (see PolicySet)

/// The slot-indexed values of one request. Reused across requests: `reset` keeps
/// capacity, so a warmed-up Request decodes and evaluates without allocating.
class Request {
public:
    struct ListSpan {
        std::uint32_t begin = 0;  // index into `elems`
        std::uint32_t count = 0;
    };

    void reset(const Program& program);

    std::vector<Value> root;       // one per root attribute slot
    std::vector<ListSpan> lists;   // one per list attribute
    std::vector<Value> elems;      // list elements' values, `stride` values per element
    std::string id;                // the envelope `id`, echoed in the decision
    std::optional<std::int32_t> time;  // the envelope `time` (a day), sets as_of

    /// Interns a string that no policy mentions; ids start at the program's string count.
    std::uint32_t intern_extra(const Program& program, std::string_view s);
    /// The text of any string id (program constant or request-local).
    std::string_view text(const Program& program, std::uint32_t id) const;
    /// Releases element and string storage above `keep` bytes; call between requests.
    void trim(std::size_t keep);
    /// The Program::generation this request was last reset (decoded) for; 0 when never.
    std::uint64_t program_generation() const { return program_generation_; }

private:
    std::uint64_t program_generation_ = 0;
    std::string arena_;
    std::vector<std::uint32_t> extra_begin_;  // offsets into arena_, plus one end marker
    // Past kLinearExtras request-local strings, a hash table finds them (a request of many
    // distinct names stays linear). Slots: (generation << 32) | (index + 1); a slot of
    // another generation is empty, so `reset` clears the table by bumping the generation.
    static constexpr std::size_t kLinearExtras = 16;
    std::vector<std::uint64_t> extra_table_;
    std::uint32_t extra_generation_ = 1;
    std::uint32_t extra_hashed_ = 0;  // extras in the table this generation
    std::uint32_t find_extra(std::string_view s);
    void hash_extra(std::uint32_t i);
    void new_extra_generation();
    std::string_view extra(std::size_t i) const {
        return std::string_view(arena_.data() + extra_begin_[i], extra_begin_[i + 1] - extra_begin_[i]);
    }
};

/// A problem with request input: the attribute path and what is wrong.
struct RequestError {
    std::string path;     // "customer.hq_country", "intermediaries[1].role", or "" for the document
    std::string message;  // "expected a country code (two upper-case letters), got \"China\""
};

}  // namespace cordon
