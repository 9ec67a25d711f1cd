// Request storage: slots, list spans, and request-local strings in one reusable arena.
#include "cordon/engine/request.hpp"
#include "program/program.hpp"

#include <algorithm>
#include <bit>
#include <functional>

namespace cordon {

void Request::reset(const Program& program) {
    program_generation_ = program.generation;
    root.assign(static_cast<std::size_t>(program.root_slots), Value{});
    lists.assign(program.lists.size(), ListSpan{});
    elems.clear();
    id.clear();
    time.reset();
    arena_.clear();
    extra_begin_.clear();
    extra_begin_.push_back(0);
    if (extra_hashed_ != 0) new_extra_generation();
}

void Request::new_extra_generation() {
    extra_hashed_ = 0;
    if (++extra_generation_ == 0) {  // after 2^32 resets: old slots could look current
        std::fill(extra_table_.begin(), extra_table_.end(), 0);
        extra_generation_ = 1;
    }
}

void Request::hash_extra(std::uint32_t i) {
    const std::size_t mask = extra_table_.size() - 1;
    for (std::size_t at = std::hash<std::string_view>{}(extra(i)) & mask;; at = (at + 1) & mask) {
        if ((extra_table_[at] >> 32) != extra_generation_) {
            extra_table_[at] = (static_cast<std::uint64_t>(extra_generation_) << 32) | (i + 1);
            ++extra_hashed_;
            return;
        }
    }
}

// The index of extra `s`, or npos. Few extras: compared one by one; more: hashed, the
// table kept at most half full (grown, and refilled, as the request's extras grow).
std::uint32_t Request::find_extra(std::string_view s) {
    const auto n = static_cast<std::uint32_t>(extra_begin_.size() - 1);
    if (n < kLinearExtras) {
        for (std::uint32_t i = 0; i < n; ++i)
            if (extra(i) == s) return i;
        return Program::npos;
    }
    if (extra_table_.size() < 2 * std::size_t{n} + 2) {
        extra_table_.assign(std::max<std::size_t>(64, std::bit_ceil(4 * std::size_t{n})), 0);
        new_extra_generation();
    }
    while (extra_hashed_ < n) hash_extra(extra_hashed_);
    const std::size_t mask = extra_table_.size() - 1;
    for (std::size_t at = std::hash<std::string_view>{}(s) & mask;; at = (at + 1) & mask) {
        const std::uint64_t slot = extra_table_[at];
        if ((slot >> 32) != extra_generation_) return Program::npos;
        const auto i = static_cast<std::uint32_t>(slot) - 1;
        if (extra(i) == s) return i;
    }
}

std::uint32_t Request::intern_extra(const Program& program, std::string_view s) {
    const auto known = program.find_string(s);
    if (known != Program::npos) return known;
    const auto base = static_cast<std::uint32_t>(program.strings.size());
    if (extra_begin_.empty()) extra_begin_.push_back(0);
    if (const auto i = find_extra(s); i != Program::npos) return base + i;
    arena_.append(s);
    extra_begin_.push_back(static_cast<std::uint32_t>(arena_.size()));
    return base + static_cast<std::uint32_t>(extra_begin_.size() - 2);
}

void Request::trim(std::size_t keep) {
    if (elems.capacity() * sizeof(Value) > keep) std::vector<Value>().swap(elems);
    if (arena_.capacity() > keep) std::string().swap(arena_);
    if (extra_begin_.capacity() * sizeof(std::uint32_t) > keep) std::vector<std::uint32_t>().swap(extra_begin_);
    if (extra_table_.capacity() * sizeof(std::uint64_t) > keep) {
        std::vector<std::uint64_t>().swap(extra_table_);
        extra_hashed_ = 0;
    }
    if (id.capacity() > keep) std::string().swap(id);
}

std::string_view Request::text(const Program& program, std::uint32_t sid) const {
    if (sid < program.strings.size()) return program.strings[sid];
    const std::size_t i = sid - program.strings.size();
    if (i + 1 >= extra_begin_.size()) return {};
    return std::string_view(arena_.data() + extra_begin_[i], extra_begin_[i + 1] - extra_begin_[i]);
}

}  // namespace cordon
