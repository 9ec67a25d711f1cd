// print_program(): the compiled program as text, for people reading what the compiler
// made of a policy set (docs/engine.md) and for diffs between passes.
#include "cordon/engine/print_program.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <limits>
#include <vector>

#include "cordon/dsl/parse.hpp"
#include "cordon/engine/explain.hpp"
#include "program/program.hpp"

namespace cordon {

namespace {

std::string constant_text(const Program& p, const Value& v) {
    switch (v.tag) {
        case Value::Tag::Absent: return "absent";
        case Value::Tag::Bool: return v.b ? "true" : "false";
        case Value::Tag::Number: return fmt::format("{}", v.n);
        case Value::Tag::String: return v.s < p.strings.size() ? fmt::format("\"{}\"", p.strings[v.s]) : fmt::format("string#{}", v.s);
        case Value::Tag::Date: return format_date(v.d);
        case Value::Tag::Error: return fmt::format("error{}", v.err >> 24);
    }
    return "?";
}

std::string day_text(std::int32_t day, std::int32_t none) { return day == none ? "-" : format_date(day); }

// One node: its number, operation, type, operands (as the operation reads them) and kids.
std::string node_line(const Program& p, std::int32_t i) {
    const Node& n = p.nodes[i];
    std::string s = fmt::format("#{} {} {}", i, node_op_name(n.op), type_name(n.type));
    switch (n.op) {
        case NodeOp::Const: s += " " + constant_text(p, n.constant()); break;
        case NodeOp::Attr: case NodeOp::AttrTrue: s += fmt::format(" slot={} attr={}", n.slot(), n.attribute()); break;
        case NodeOp::Elem: s += fmt::format(" var={} slot={} attr={}", n.variable(), n.slot(), n.attribute()); break;
        case NodeOp::LetRef: s += fmt::format(" let={}", n.let()); break;
        case NodeOp::Eq: case NodeOp::Ne: case NodeOp::Lt: case NodeOp::Le: case NodeOp::Gt: case NodeOp::Ge:
            s += fmt::format(" operands={}", type_name(n.operand_type()));
            break;
        case NodeOp::InSet: s += fmt::format(" set={}", n.set()); break;
        case NodeOp::InList: s += fmt::format(" list={}", n.list()); break;
        case NodeOp::InTable: s += fmt::format(" table={}", n.table()); break;
        case NodeOp::Lookup: s += fmt::format(" table={} column={}", n.table(), n.column()); break;
        case NodeOp::Any: case NodeOp::All: case NodeOp::Count: case NodeOp::Sum:
            s += fmt::format(" list={} var={}", n.list(), n.variable());
            break;
        case NodeOp::AttrCmpNum:
            s += fmt::format(" slot={} {} {}", n.slot(), node_op_name(n.comparison()), n.number());
            break;
        case NodeOp::AttrEqStr: case NodeOp::ElemEqStr:
            s += fmt::format(" slot={} {} {}", n.slot(), node_op_name(n.comparison()), constant_text(p, Value::string(n.string_id())));
            break;
        case NodeOp::AttrInSet: case NodeOp::ElemInSet: s += fmt::format(" slot={} set={}", n.slot(), n.fused_set()); break;
        default: break;  // (the others' operands are their children)
    }
    const auto kids = p.kids_of(n);
    for (std::size_t k = 0; k < kids.size(); ++k) s += fmt::format("{}#{}", k ? " " : " (", kids[k]);
    return n.kid_count() ? s + ")" : s;
}

void print_rule(const PolicySet& set, std::uint32_t i, std::string& out) {
    const Program& p = set.program();
    const auto& ids = set.checked().rules;
    const ProgramRule& r = p.rules[i];
    constexpr auto lo = std::numeric_limits<std::int32_t>::min(), hi = std::numeric_limits<std::int32_t>::max();
    out += fmt::format("rule {} {} {} {} .. {}\n", ids[i].id, ast::effect_name(r.effect), status_name(r.status),
                       day_text(r.effective, lo), day_text(r.sunset, hi));
    if (r.twin_of >= 0) out += fmt::format("  twin of {} (decides as it does)\n", ids[static_cast<std::size_t>(r.twin_of)].id);
    if (r.family_of >= 0) out += fmt::format("  family member of {}\n", ids[static_cast<std::size_t>(r.family_of)].id);
    for (std::uint32_t k = 0; k < r.plan_count; ++k) {
        const PlanStep& st = p.plan[r.plan_first + k];
        out += fmt::format("  {} {}{}  {}\n", k < r.plan_pinned ? "pin " : "when", st.negate ? "not " : "", node_line(p, st.node),
                           node_source_text(set, st.node));
    }
    if (r.plan_unless >= 0) out += fmt::format("  unless {}  {}\n", node_line(p, r.plan_unless), node_source_text(set, r.plan_unless));
    for (std::uint32_t k = 0; k < r.twins_count; ++k) out += fmt::format("  twin {}\n", ids[p.twins[r.twins_first + k]].id);
    for (std::uint32_t k = 0; k < r.family_count; ++k) {
        const FamilyMember& m = p.family[r.family_first + k];
        out += fmt::format("  family {}: #{} {} {}\n", ids[m.rule].id, m.operand, node_op_name(m.op), m.constant);
    }
}

void print_indexes(const Program& p, std::string& out) {
    static const char* kinds[] = {"string", "bool", "non_empty", "some_in_set"};
    for (std::size_t k = 0; k < p.indexes.size(); ++k) {
        const auto& ix = p.indexes[k];
        std::vector<std::uint64_t> filed((p.rules.size() + 63) / 64, 0);  // (a rule may be filed under many keys)
        for (const auto& w : ix.rules) filed[w.word] |= w.bits;
        std::size_t rules = 0;
        for (const auto w : filed) rules += static_cast<std::size_t>(__builtin_popcountll(w));
        out += fmt::format("index {}: {} rule{} by", k, rules, rules == 1 ? "" : "s");
        for (const auto& c : ix.columns) out += fmt::format(" {}(slot={})", kinds[static_cast<int>(c.kind)], c.slot);
        out += '\n';
    }
    out += fmt::format("unindexed: {}\n", p.unindexed.size());
}

// Dated data (Program::set_epochs): the days it changes on, and the sets and tables whose
// contents depend on the day. Nothing without dated data.
void print_dated(const PolicySet& set, std::string& out) {
    const Program& p = set.program();
    if (p.set_epochs.empty()) return;
    std::vector<std::string> days, dated;
    for (const auto d : p.set_epochs) days.push_back(format_date(d));
    const auto& c = set.checked();
    for (std::uint32_t s = 0; s < c.sets.size(); ++s)
        if (p.set_varies(s)) dated.push_back("set " + c.sets[s].name);
    for (std::size_t t = 0; t < p.tables.size(); ++t)
        if (p.tables[t].dated()) dated.push_back("table " + c.tables[t].name);
    out += fmt::format("dated data: {} windows, changing on {}; dated: {}\n", p.set_windows(), fmt::join(days, ", "), fmt::join(dated, ", "));
}

}  // namespace

std::string print_program(const PolicySet& set) {
    const Program& p = set.program();
    std::string out = fmt::format("program {}: {} rules, {} nodes, {} lets, {} guards, {} index keys, {} strings\n", set.name(),
                                  p.rules.size(), p.nodes.size(), p.lets.size(), p.guards.size(), p.indexes.size(), p.strings.size());
    print_dated(set, out);
    out += "\nlets:\n";
    for (std::size_t l = 0; l < p.lets.size(); ++l) {
        const bool guard = std::find(p.guards.begin(), p.guards.end(), static_cast<std::int32_t>(l)) != p.guards.end();
        out += fmt::format("let {} = #{}{}{}  {}\n", l, p.lets[l], guard ? " guard" : "",
                           l < p.let_key_table.size() && p.let_key_table[l] >= 0 ? " key-table" : "", node_source_text(set, p.lets[l]));
    }
    out += "\nrules:\n";
    for (std::uint32_t i = 0; i < p.rules.size(); ++i) print_rule(set, i, out);
    out += "\nindex:\n";
    print_indexes(p, out);
    out += "\nnodes:\n";
    for (std::int32_t i = 0; i < static_cast<std::int32_t>(p.nodes.size()); ++i) out += node_line(p, i) + '\n';
    return out;
}

}  // namespace cordon
