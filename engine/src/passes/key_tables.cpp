// Pass `key_tables`: a costly let that depends on one string attribute once some others are
// absent (the chip classification of a request that names the chip and gives no figures)
// gets a table of its values for every string id, worked out here by evaluating it on a
// request that gives only that attribute (and once for a string the program does not know,
// and once with the attribute absent); a let that reads dated data gets one table per
// window of days (Program::set_epochs), worked out on a day in each. Lets that read lists
// or bound variables, or order strings by their text, get no table. Off: every let runs
// its body.
#include <cstring>
#include <set>

#include "cordon/engine/evaluate.hpp"
#include "cordon/engine/request.hpp"
#include "passes/plan_passes.hpp"

namespace cordon {
namespace {

// Root slots a let's value can depend on; false when it reads bound variables or lists,
// or orders strings by their text (a request's own strings would then differ). `dated`
// becomes true when it tests a dated set or reads a table with dated rows: its value then
// depends on the day too.
// `seen` holds the nodes already walked for this let: shared nodes (`let a1 = a0 and a0`)
// are walked once, so the walk is linear in the let's nodes, not exponential.
bool reads_of(const Program& p, std::int32_t index, std::set<std::int32_t>& slots, std::set<std::int32_t>& seen,
              bool& dated, int depth = 0) {
    if (depth > 64) return false;
    if (!seen.insert(index).second) return true;  // (its slots are in already; a false ended the walk)
    const Node& n = p.nodes[index];
    if (n.op == NodeOp::AttrInSet && p.set_varies(n.fused_set())) dated = true;
    if (n.op == NodeOp::InSet && p.set_varies(n.set())) dated = true;
    if ((n.op == NodeOp::Lookup || n.op == NodeOp::InTable) && p.tables[static_cast<std::size_t>(n.table())].dated()) dated = true;
    switch (n.op) {
        case NodeOp::Elem: case NodeOp::ElemInSet: case NodeOp::ElemEqStr: case NodeOp::InList:
        case NodeOp::Any: case NodeOp::All: case NodeOp::Count: case NodeOp::Sum:
            return false;
        case NodeOp::Attr: case NodeOp::AttrInSet: case NodeOp::AttrCmpNum: case NodeOp::AttrEqStr:
        case NodeOp::AttrTrue:
            slots.insert(n.slot());
            return true;
        case NodeOp::Has: {
            const Node& target = p.nodes[p.kid(n, 0)];
            if (target.op != NodeOp::Attr) return false;
            slots.insert(target.slot());
            return true;
        }
        case NodeOp::LetRef: return reads_of(p, p.lets[n.let()], slots, seen, dated, depth + 1);
        case NodeOp::Lt: case NodeOp::Le: case NodeOp::Gt: case NodeOp::Ge:
            if (n.operand_type() == Type::String) return false;
            break;
        default: break;
    }
    for (const auto kid : p.kids_of(n))
        if (!reads_of(p, kid, slots, seen, dated, depth + 1)) return false;
    return true;
}

bool same(const Value& a, const Value& b) {
    return a.tag == b.tag && a.aux == b.aux && std::memcmp(&a.n, &b.n, sizeof a.n) == 0;
}

// The one string slot among `slots`, or -1 when there are none or several.
std::int32_t string_key(const CheckedPolicySet& set, const Program& p, const std::set<std::int32_t>& slots) {
    std::vector<std::int32_t> slot_type(static_cast<std::size_t>(p.root_slots), -1);
    for (const auto& a : set.attrs.attrs)
        if (a.list < 0) slot_type[static_cast<std::size_t>(a.slot)] = static_cast<std::int32_t>(a.type);
    std::int32_t key = -1;
    for (const auto s : slots) {
        const auto t = static_cast<ScalarType>(slot_type[static_cast<std::size_t>(s)]);
        if (t != ScalarType::String && t != ScalarType::Enum && t != ScalarType::Country) continue;
        if (key >= 0) return -1;
        key = s;
    }
    return key;
}

// Let body `body`'s values by the string in `key_slot`, on the day `ev` is set to;
// `names_key` says whether the value for a string no policy names holds that string.
Program::KeyTable::Values values_of(const Program& p, Evaluator& ev, Request& rq, std::int32_t body, std::int32_t key_slot,
                                    bool& names_key) {
    Program::KeyTable::Values t;
    rq.reset(p);
    t.absent = ev.evaluate(rq, body);
    const auto strings = static_cast<std::uint32_t>(p.strings.size());
    rq.root[key_slot] = Value::string(strings);  // a request's own string: the stand-in
    t.other = ev.evaluate(rq, body);
    // The key is the only request's own string the body can meet (the other slots it reads
    // are absent), so the stand-in's id in the value is the key's (found by the differential
    // test, session 17: a missing key's error named another string of the request).
    names_key = (t.other.tag == Value::Tag::String && t.other.s == strings) ||
                (t.other.is_error() && (t.other.err >> 24) == kMissingTableKey && t.other.aux == strings);
    auto other_for = [&](std::uint32_t id) {  // (as KeyTable::other_for)
        Value v = t.other;
        if (names_key) (v.tag == Value::Tag::String ? v.s : v.aux) = id;
        return v;
    };
    for (std::uint32_t id = 0; id < strings; ++id) {
        rq.root[key_slot] = Value::string(id);
        const Value v = ev.evaluate(rq, body);
        if (!same(v, other_for(id))) t.values.emplace_back(id, v);
    }
    if (strings <= Program::KeyTable::kMaxDense) {
        t.by_id.resize(strings);
        for (std::uint32_t id = 0; id < strings; ++id) t.by_id[id] = other_for(id);
        for (const auto& [id, v] : t.values) t.by_id[id] = v;
    }
    return t;
}

// The table of let body `body`'s values by the string in `key_slot`: one window's, or
// (`dated`) each window's, worked out on the window's first day (window 0: the day before
// the first epoch).
Program::KeyTable table_of(const Program& p, Evaluator& ev, Request& rq, std::int32_t body, std::int32_t key_slot,
                           const std::set<std::int32_t>& slots, bool dated) {
    Program::KeyTable t;
    t.key_slot = key_slot;
    for (const auto s : slots)
        if (s != t.key_slot) t.absent_slots.push_back(s);
    const std::uint32_t windows = dated ? p.set_windows() : 1;
    for (std::uint32_t w = 0; w < windows; ++w) {
        ev.set_day(w == 0 ? (p.set_epochs.empty() ? 0 : p.set_epochs[0] - 1) : p.set_epochs[w - 1]);
        bool names_key = false;
        t.windows.push_back(values_of(p, ev, rq, body, key_slot, names_key));
        t.other_names_key.push_back(names_key);
    }
    return t;
}

}  // namespace

void build_key_tables(const CheckedPolicySet& set, const NodeFacts& facts, Program& p, bool on) {
    p.let_key_table.assign(p.lets.size(), -1);
    if (!on) return;
    Evaluator ev(p);
    Request rq;
    std::size_t work = 0;  // nodes evaluated to fill the tables so far
    for (std::size_t let = 0; let < p.lets.size(); ++let) {
        const std::int32_t body = p.lets[let];
        if (facts.cost[body] < 8) continue;  // cheap enough as it is  // mutation: skip line: speed only (the let as written)
        std::set<std::int32_t> slots, seen;
        bool dated = false;
        if (!reads_of(p, body, slots, seen, dated)) continue;
        const std::int32_t key = string_key(set, p, slots);
        if (key < 0) continue;
        // A table evaluates the body once per string and window: within a fixed budget, so
        // that 10,000 costly lets over 100,000 strings (or days) compile in bounded time.
        const std::size_t cost = (dated ? p.set_windows() : 1) * (p.strings.size() + 2) * static_cast<std::size_t>(facts.cost[body]);
        if (work + cost > kKeyTableWork) continue;  // mutation: skip line: speed only (the let as written)
        work += cost;
        p.let_key_table[let] = static_cast<std::int32_t>(p.key_tables.size());
        p.key_tables.push_back(table_of(p, ev, rq, body, key, slots, dated));
    }
}

}  // namespace cordon
