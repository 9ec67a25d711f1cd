// CompileOptions: pass names parsed from and printed as comma lists.
#include "cordon/engine/compile_options.hpp"

namespace cordon {

namespace {

std::string trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return std::string(s);
}

std::string known() {
    std::string out;
    for (const auto& [name, member] : CompileOptions::names()) {
        if (!out.empty()) out += ", ";
        out += name;
    }
    return out;
}

}  // namespace

std::optional<std::string> CompileOptions::set(std::string_view list, bool on) {
    CompileOptions next = *this;
    std::size_t begin = 0;
    while (begin <= list.size()) {
        const auto comma = list.find(',', begin);
        const auto end = comma == std::string_view::npos ? list.size() : comma;
        const std::string name = trimmed(list.substr(begin, end - begin));
        begin = end + 1;
        if (name.empty()) continue;
        if (name == "all") {
            for (const auto& [n, member] : names()) next.*member = on;
            continue;
        }
        bool found = false;
        for (const auto& [n, member] : names())
            if (n == name) {
                next.*member = on;
                found = true;
            }
        if (!found) return "unknown pass \"" + name + "\" (passes: " + known() + ", all)";
    }
    *this = next;
    return std::nullopt;
}

std::optional<CompileOptions> CompileOptions::parse(std::string_view list, std::string* error) {
    CompileOptions o = all_off();
    if (trimmed(list) == "none") return o;
    if (auto e = o.set(list, true)) {
        if (error) *error = *e;
        return std::nullopt;
    }
    return o;
}

std::string CompileOptions::to_string() const {
    std::string out;
    for (const auto& [name, member] : names())
        if (this->*member) {
            if (!out.empty()) out += ',';
            out += name;
        }
    return out.empty() ? "none" : out;
}

}  // namespace cordon
