// The constants a program is compiled over, and the size of the data built over them.
#include "compile/constants.hpp"

#include <algorithm>
#include <unordered_set>

namespace cordon {

namespace {
void each_literal(const CExpr& e, const std::function<void(const std::string&)>& add) {
    if (e.form == Form::Const && e.type == Type::String) add(e.text);
    for (const auto& a : e.args) each_literal(a, add);
}
}  // namespace

void each_constant_string(const CheckedPolicySet& set, const std::function<void(const std::string&)>& add) {
    for (const auto& a : set.attrs.attrs)
        for (const auto& v : a.enum_values) add(v);
    // Every two-letter code, so that a request's country is always a known id: no
    // request-local string for "DE" even when no policy names Germany.
    const bool has_country = std::any_of(set.attrs.attrs.begin(), set.attrs.attrs.end(),
                                         [](const Attribute& a) { return a.type == ScalarType::Country; });
    if (has_country)
        for (char x = 'A'; x <= 'Z'; ++x)
            for (char y = 'A'; y <= 'Z'; ++y) add(std::string{x, y});
    for (const auto& s : set.sets)
        for (const auto& m : s.members) add(m);
    for (const auto& t : set.tables)
        for (const auto& row : t.table.rows) {
            add(row.key);
            for (const auto& c : row.cells)
                if (c && c->type == ScalarType::String) add(c->text);  // (a cell is a number, bool, string or date)
        }
    for (const auto& l : set.lets) each_literal(l.body, add);
    for (const auto& r : set.rules) {
        each_literal(r.when, add);
        if (r.unless) each_literal(*r.unless, add);
        for (const auto& piece : r.because)
            if (piece.expr) each_literal(*piece.expr, add);
    }
}

std::vector<std::int32_t> data_epochs(const CheckedPolicySet& set) {
    std::vector<std::int32_t> days;
    auto add = [&](const DateWindow& w) {
        if (w.since != DateWindow::kOpen) days.push_back(w.since);
        if (w.until != DateWindow::kNever) days.push_back(w.until);
    };
    for (const auto& s : set.sets)
        for (const auto& w : s.member_windows) add(w);
    for (const auto& t : set.tables)
        for (const auto& row : t.table.rows) add(row.window);
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    return days;
}

DataSize data_size(const CheckedPolicySet& set) {
    DataSize d;
    std::unordered_set<std::string> strings;
    each_constant_string(set, [&](const std::string& s) { strings.insert(s); });
    d.strings = strings.size();
    d.windows = data_epochs(set).size() + 1;
    d.bitsets = set.sets.size();
    const std::size_t words = (d.strings + 63) / 64;
    d.bytes = d.bitsets * d.windows * words * 8;
    for (const auto& t : set.tables)
        d.bytes += (t.table.dated() ? d.windows : 1) * d.strings * 4 + t.table.rows.size() * t.table.columns.size() * kValueBytes;
    return d;
}

}  // namespace cordon
