// Request storage: slots, list spans, and request-local strings in one reusable arena.
#include "cordon/engine/request.hpp"

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
}

std::uint32_t Request::intern_extra(const Program& program, std::string_view s) {
    const auto known = program.find_string(s);
    if (known != Program::npos) return known;
    const auto base = static_cast<std::uint32_t>(program.strings.size());
    for (std::size_t i = 0; i + 1 < extra_begin_.size(); ++i) {
        const std::string_view have(arena_.data() + extra_begin_[i], extra_begin_[i + 1] - extra_begin_[i]);
        if (have == s) return base + static_cast<std::uint32_t>(i);
    }
    if (extra_begin_.empty()) extra_begin_.push_back(0);
    arena_.append(s);
    extra_begin_.push_back(static_cast<std::uint32_t>(arena_.size()));
    return base + static_cast<std::uint32_t>(extra_begin_.size() - 2);
}

void Request::trim(std::size_t keep) {
    if (elems.capacity() * sizeof(Value) > keep) std::vector<Value>().swap(elems);
    if (arena_.capacity() > keep) std::string().swap(arena_);
    if (extra_begin_.capacity() * sizeof(std::uint32_t) > keep) std::vector<std::uint32_t>().swap(extra_begin_);
    if (id.capacity() > keep) std::string().swap(id);
}

std::string_view Request::text(const Program& program, std::uint32_t sid) const {
    if (sid < program.strings.size()) return program.strings[sid];
    const std::size_t i = sid - program.strings.size();
    if (i + 1 >= extra_begin_.size()) return {};
    return std::string_view(arena_.data() + extra_begin_[i], extra_begin_[i + 1] - extra_begin_[i]);
}

}  // namespace cordon
