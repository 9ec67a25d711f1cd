// The compiler: checked expressions -> flat nodes over slots. Strings are interned,
// sets become bitsets, tables dense arrays, lets shared nodes, and constants fold.
#include <algorithm>
#include <cassert>
#include <fmt/format.h>
#include <unordered_map>
#include <optional>

#include "cordon/engine/evaluate.hpp"
#include "program/program.hpp"
#include "cordon/engine/request.hpp"
#include "index/index.hpp"
#include "compile/constants.hpp"
#include "compile/node_key.hpp"
#include "passes/families.hpp"
#include "passes/twins.hpp"
#include "passes/plan.hpp"

namespace cordon {

static_assert(sizeof(Value) == kValueBytes, "data_size counts a table cell as kValueBytes");

namespace {

class Compiler {
public:
    Compiler(const CheckedPolicySet& set, const CompileOptions& options, Program& p) : set_(set), o_(options), p_(p) {}

    void run() {
        p_.root_slots = set_.attrs.root_slots;
        p_.variable_slots = set_.variable_slots;
        p_.default_effect = set_.manifest.default_effect;
        p_.on_error = set_.manifest.on_error;
        p_.enforce_mask = 0;
        for (auto s : set_.manifest.enforce) p_.enforce_mask |= status_bit(s);
        for (const auto& a : set_.attrs.attrs) p_.attr_slot.push_back(a.slot);
        if (auto it = set_.attrs.attr_by_path.find("time"); it != set_.attrs.attr_by_path.end())
            p_.time_attr = set_.attrs.attrs[it->second].slot;
        for (const auto& l : set_.attrs.lists)
            p_.lists.push_back(ProgramList{static_cast<std::int32_t>(std::max<std::size_t>(1, l.fields.size()))});

        // Interning first, so that set bitsets are sized for every constant string.
        each_constant_string(set_, [this](const std::string& s) { intern(s); });
        p_.set_epochs = data_epochs(set_);
        build_sets();
        build_tables();

        // Lets are compiled on first use (a let may use lets defined after it).
        p_.lets.assign(set_.lets.size(), -1);
        for (std::size_t i = 0; i < set_.lets.size(); ++i) let_node(static_cast<int>(i));
        for (const auto& r : set_.rules) {
            ProgramRule pr;
            pr.effect = r.effect;
            const auto& pol = set_.policies[r.policy];
            pr.status = pol.status;
            if (pol.effective) pr.effective = *pol.effective;
            if (pol.sunset) pr.sunset = *pol.sunset;
            pr.when = node(r.when);
            if (r.unless) pr.unless = node(*r.unless);
            p_.rules.push_back(pr);
            p_.rule_policy.push_back(static_cast<std::uint32_t>(r.policy));
            std::vector<Program::MessagePart> parts;
            for (const auto& piece : r.because) {
                if (piece.expr) {
                    parts.push_back({"", node(*piece.expr)});
                } else {
                    parts.push_back({piece.text, -1});
                }
            }
            p_.messages.push_back(std::move(parts));
        }
        p_.index_strings();
        plan_rules(set_, o_, p_, [this](const Node& n, const std::vector<std::int32_t>& kids, Span span) { return push(n, kids, span); });
        group_twins(p_, o_.twins);
        if (o_.families) group_families(p_);
        index_rules(set_, p_, o_.index);
        // Every rule's first and last day but the open ends (the least and greatest int32):
        // no date a request or --as-of can give (years 1 to 9999) lies before the one or at
        // the other, and a set without dates then has no bound to search.
        for (const auto& r : p_.rules)
            for (const auto day : {r.effective, r.sunset})
                if (day != std::numeric_limits<std::int32_t>::min() && day != std::numeric_limits<std::int32_t>::max())  // mutation: skip line: an open end splits no window a date falls in (speed only)
                    p_.window_bounds.push_back(day);
        std::sort(p_.window_bounds.begin(), p_.window_bounds.end());
        p_.window_bounds.erase(std::unique(p_.window_bounds.begin(), p_.window_bounds.end()), p_.window_bounds.end());
        p_.attr_read.assign(set_.attrs.attrs.size(), 0);
        for (const auto& n : p_.nodes) {
            if (n.op == NodeOp::Attr || n.op == NodeOp::Elem) p_.attr_read[n.attribute()] = 1;
            if (n.op == NodeOp::InList) p_.attr_read[set_.attrs.lists[n.list()].fields[0]] = 1;
        }
    }

private:
    std::uint32_t intern(const std::string& s) {
        auto [it, fresh] = p_.string_ids.emplace(s, static_cast<std::uint32_t>(p_.strings.size()));
        if (fresh) p_.strings.push_back(s);
        return it->second;
    }

    // The windows [first, last) a dated member or row is in: those whose first day its
    // `since`..`until` holds. Both are epochs, so `since` is the first day of a window and
    // `until` the first day of the window after its last.
    std::pair<std::uint32_t, std::uint32_t> windows_of(const DateWindow& w) const {
        return {w.since == DateWindow::kOpen ? 0 : p_.set_window(w.since),
                w.until == DateWindow::kNever ? p_.set_windows() : p_.set_window(w.until)};
    }

    // One bitset per set and window (Program::set_epochs): a dated member is in the
    // windows its `since`..`until` covers. Membership cannot change inside a window, since
    // every `since` and `until` is an epoch: the window's first day stands for all of it.
    // Each member is visited once, and sets its bit in its own windows only.
    void build_sets() {
        const std::size_t words = (p_.strings.size() + 63) / 64;
        const std::uint32_t windows = p_.set_windows();
        for (const auto& s : set_.sets) {
            const auto base = static_cast<std::uint32_t>(p_.set_bits.size());
            p_.set_offset.push_back(base);
            p_.set_words.push_back(static_cast<std::uint32_t>(words));
            p_.set_bits.resize(p_.set_bits.size() + words * windows, 0);
            std::uint64_t* bits = p_.set_bits.data() + base;
            for (std::size_t i = 0; i < s.members.size(); ++i) {
                const auto id = p_.string_ids.at(s.members[i]);
                const auto [first, last] = s.member_windows.empty() ? std::pair<std::uint32_t, std::uint32_t>{0, windows}
                                                                     : windows_of(s.member_windows[i]);
                for (std::uint32_t w = first; w < last; ++w) bits[w * words + (id >> 6)] |= std::uint64_t{1} << (id & 63);
            }
        }
    }

    void build_tables() {
        for (const auto& t : set_.tables) {
            Program::TableData td;
            td.columns = static_cast<std::int32_t>(t.table.columns.size());
            td.keys = static_cast<std::uint32_t>(p_.strings.size());
            // A dated table: one map per window, a row in the windows its window covers.
            const std::uint32_t windows = t.table.dated() ? p_.set_windows() : 1;
            td.window_stride = windows > 1 ? td.keys : 0;
            td.row_of.assign(static_cast<std::size_t>(td.keys) * windows, -1);
            for (std::size_t r = 0; r < t.table.rows.size(); ++r) {
                const auto& row = t.table.rows[r];
                const auto key = p_.string_ids.at(row.key);
                const auto [first, last] = windows == 1 ? std::pair<std::uint32_t, std::uint32_t>{0, 1} : windows_of(row.window);
                for (std::uint32_t w = first; w < last; ++w)
                    td.row_of[static_cast<std::size_t>(w) * td.keys + key] = static_cast<std::int32_t>(r);
                assert(row.cells.size() == t.table.columns.size());  // (parallel: data.cpp gives every row every column)
                for (std::size_t c = 0; c < t.table.columns.size(); ++c) {
                    Value v;
                    if (row.cells[c]) {
                        const Cell& cell = *row.cells[c];
                        switch (cell.type) {
                            case ScalarType::Number: v = Value::number(cell.number); break;
                            case ScalarType::Bool: v = Value::boolean(cell.boolean); break;
                            case ScalarType::Date: v = Value::date(cell.date); break;
                            default: v = Value::string(p_.string_ids.at(cell.text)); break;
                        }
                    }
                    td.cells.push_back(v);
                }
            }
            p_.tables.push_back(std::move(td));
        }
    }

    std::int32_t let_node(int id) {
        if (p_.lets[id] < 0) {
            const auto depth = depth_;  // a let's quantifiers are numbered from 0 wherever it is used
            depth_ = 0;
            p_.lets[id] = node(set_.lets[id].body);
            depth_ = depth;
        }
        return p_.lets[id];
    }

    // Quantifier variables get the slot of their nesting depth, so that the same quantifier
    // written in two rules is one node (and can be cached once per request). A quantifier
    // restores its slot when it ends, so a let evaluated inside another quantifier is safe.
    std::vector<std::int32_t> slot_of_var_;
    std::int32_t depth_ = 0;

    // Identical nodes are shared (hash-consing): the same condition written in several
    // policies, e.g. a chip-classification let each policy repeats, is one node, and
    // lets with identical bodies share one cached result.
    //
    // `explain` shows a node's source text, so attribute reads are shared only when they
    // read alike: `as_written` is the attribute as written and the length of its text
    // (a let's parameter `c` standing for `p.country` is not `p.country` written out).
    std::int32_t push(const Node& node, const std::vector<std::int32_t>& kids, Span span, std::string_view as_written = {}) {
        Node n = node;  // (a copy: a 32-byte aligned Node passed by value draws a GCC note on the ABI)
        n.place_kids(0, static_cast<std::uint8_t>(kids.size()));
        NodeKey key(n, kids, as_written, span.end - span.begin);
        if (o_.hash_cons)
            if (auto it = shared_.find(key); it != shared_.end()) return it->second;
        p_.node_spans.push_back(span);
        n.place_kids(static_cast<std::uint32_t>(p_.kids.size()), n.kid_count());
        p_.kids.insert(p_.kids.end(), kids.begin(), kids.end());
        p_.nodes.push_back(n);
        const auto id = static_cast<std::int32_t>(p_.nodes.size() - 1);
        if (o_.hash_cons) shared_.emplace(std::move(key), id);
        return id;
    }
    std::unordered_map<NodeKey, std::int32_t, NodeKeyHash> shared_;
    std::unordered_map<std::int32_t, std::int32_t> let_of_root_;  // root node -> first let with that body

    std::int32_t constant(Value v, Type t, Span span) { return push(Node::make_constant(v, t), {}, span); }

    bool is_const(std::int32_t i) const { return p_.nodes[i].op == NodeOp::Const; }

    // Folds a node whose children are all constants by evaluating it once.
    std::int32_t fold(std::int32_t i) {
        static const Request empty;
        Evaluator ev(p_);
        const Value v = ev.evaluate(empty, i);
        if (v.is_error()) return i;  // keep it: the error belongs to evaluation time
        return constant(v, p_.nodes[i].type, p_.node_spans[i]);
    }

    static NodeOp flip(NodeOp op) {
        switch (op) {
            case NodeOp::Lt: return NodeOp::Gt;
            case NodeOp::Le: return NodeOp::Ge;
            case NodeOp::Gt: return NodeOp::Lt;
            case NodeOp::Ge: return NodeOp::Le;
            default: return op;
        }
    }

    // The shapes most rules are made of become one node each: `attr in SET`,
    // `p.field in SET`, `attr <op> number`, `attr == "text"`, `p.field == "text"`.
    std::optional<std::int32_t> fuse(const Node& n, const std::vector<std::int32_t>& kids, Span span) {
        auto node_at = [&](std::size_t i) -> const Node& { return p_.nodes[kids[i]]; };
        // The operand read as the fused form `op` reads it.
        auto read = [](NodeOp op, const Node& x) {
            return Node::make_read(op, Type::Bool, x.slot(), x.attribute(), Node::reads_element(x.op) ? x.variable() : -1);
        };
        if (n.op == NodeOp::InSet && (node_at(0).op == NodeOp::Attr || node_at(0).op == NodeOp::Elem)) {
            const NodeOp op = node_at(0).op == NodeOp::Attr ? NodeOp::AttrInSet : NodeOp::ElemInSet;
            return push(read(op, node_at(0)).with_fused_set(n.set()), {kids[0]}, span);
        }
        if (!Node::compares(n.op) || kids.size() != 2) return std::nullopt;
        const bool attr_first = node_at(0).op != NodeOp::Const;
        const Node& operand = node_at(attr_first ? 0 : 1);
        const Node& constant = node_at(attr_first ? 1 : 0);
        if (constant.op != NodeOp::Const) return std::nullopt;
        const NodeOp op = attr_first ? n.op : flip(n.op);
        const Type type = n.operand_type();
        const std::int32_t kid = kids[attr_first ? 0 : 1];
        if (type == Type::Number && operand.op == NodeOp::Attr)
            return push(read(NodeOp::AttrCmpNum, operand).with_number(op, constant.constant().n), {kid}, span);
        if (type == Type::String && (op == NodeOp::Eq || op == NodeOp::Ne) &&
            (operand.op == NodeOp::Attr || operand.op == NodeOp::Elem)) {
            const NodeOp fused = operand.op == NodeOp::Attr ? NodeOp::AttrEqStr : NodeOp::ElemEqStr;
            return push(read(fused, operand).with_string(op, constant.constant().s), {kid}, span);
        }
        return std::nullopt;
    }

    // A checked expression as a node: leaves and `and`/`or` here, operators over their
    // operands in `operation`.
    std::int32_t node(const CExpr& e) {
        switch (e.form) {
            case Form::Const: return constant(constant_value(e), e.type, e.span);
            case Form::Attr: {
                const auto attr = static_cast<std::uint32_t>(e.ref);
                return push(Node::make_read(NodeOp::Attr, e.type, set_.attrs.attrs[e.ref].slot, attr), {}, e.span, e.text);
            }
            case Form::Elem: {
                const auto attr = static_cast<std::uint32_t>(e.ref2);
                const std::int32_t var = slot_of_var_.at(static_cast<std::size_t>(e.ref));
                return push(Node::make_read(NodeOp::Elem, e.type, set_.attrs.attrs[e.ref2].slot, attr, var), {}, e.span, e.text);
            }
            case Form::LetRef: {
                const auto target = let_node(e.ref);
                if (o_.fold && is_const(target)) return target;
                const std::int32_t let = let_of_root_.emplace(target, e.ref).first->second;  // one cache slot per body
                return push(Node::make_let(let, e.type), {}, e.span);
            }
            case Form::And: case Form::Or: return connective(e);
            default: return operation(e);
        }
    }

    Value constant_value(const CExpr& e) const {
        switch (e.type) {
            case Type::Bool: return Value::boolean(e.boolean);
            case Type::Number: return Value::number(e.number);
            case Type::String: return Value::string(p_.string_ids.at(e.text));
            case Type::Date: return Value::date(e.date);
        }
        return {};
    }

    // `and`, `or`: `false and x` is false, `true and x` is x; dually for `or`.
    std::int32_t connective(const CExpr& e) {
        const auto l = node(e.args[0]);
        const auto r = node(e.args[1]);
        const bool is_and = e.form == Form::And;
        for (auto [c, other] : {std::pair{l, r}, std::pair{r, l}}) {
            if (!o_.fold || !is_const(c)) continue;
            const bool b = p_.nodes[c].constant().b;
            if (b == !is_and) return c;  // absorbing value
            return other;                // neutral value
        }
        return push(Node::make(is_and ? NodeOp::And : NodeOp::Or, e.type), {l, r}, e.span);
    }

    // The node of an operator (its operands compiled into `kids`; a quantifier's variable
    // bound to the slot of its depth while they are), before fusing and folding.
    static Node operator_node(const CExpr& e, std::int32_t var) {
        switch (e.form) {
            case Form::Not: return Node::make(NodeOp::Not, e.type);
            case Form::Neg: return Node::make(NodeOp::Neg, e.type);
            case Form::Eq: return Node::make_comparison(NodeOp::Eq, e.args[0].type);
            case Form::Ne: return Node::make_comparison(NodeOp::Ne, e.args[0].type);
            case Form::Lt: return Node::make_comparison(NodeOp::Lt, e.args[0].type);
            case Form::Le: return Node::make_comparison(NodeOp::Le, e.args[0].type);
            case Form::Gt: return Node::make_comparison(NodeOp::Gt, e.args[0].type);
            case Form::Ge: return Node::make_comparison(NodeOp::Ge, e.args[0].type);
            case Form::Add: return Node::make(NodeOp::Add, e.type);
            case Form::Sub: return Node::make(NodeOp::Sub, e.type);
            case Form::Mul: return Node::make(NodeOp::Mul, e.type);
            case Form::Div: return Node::make(NodeOp::Div, e.type);
            case Form::InSet: return Node::make_ref(NodeOp::InSet, e.type, e.ref);
            case Form::InList: return Node::make_ref(NodeOp::InList, e.type, e.ref);
            case Form::InTable: return Node::make_ref(NodeOp::InTable, e.type, e.ref);
            case Form::Has: return Node::make(NodeOp::Has, e.type);
            case Form::Any: return Node::make_ref(NodeOp::Any, e.type, e.ref, var);
            case Form::All: return Node::make_ref(NodeOp::All, e.type, e.ref, var);
            case Form::Count: return Node::make_ref(NodeOp::Count, e.type, e.ref, var);
            case Form::Sum: return Node::make_ref(NodeOp::Sum, e.type, e.ref, var);
            case Form::Lookup: return Node::make_ref(NodeOp::Lookup, e.type, e.ref, e.ref2);
            case Form::If: return Node::make(NodeOp::If, e.type);
            default: return Node::make(NodeOp::Const, e.type);
        }
    }

    std::int32_t operation(const CExpr& e) {
        const bool binds = e.form == Form::Any || e.form == Form::All || e.form == Form::Count || e.form == Form::Sum;
        std::int32_t slot = -1;
        if (binds) {
            slot = depth_++;
            if (slot_of_var_.size() <= static_cast<std::size_t>(e.ref2)) slot_of_var_.resize(e.ref2 + 1, -1);
            slot_of_var_[e.ref2] = slot;
        }
        std::vector<std::int32_t> kids;
        for (const auto& a : e.args) kids.push_back(node(a));
        if (binds) --depth_;
        if (e.form == Form::If && o_.fold && is_const(kids[0])) return p_.nodes[kids[0]].constant().b ? kids[1] : kids[2];
        const Node n = operator_node(e, slot);
        if (o_.fuse)
            if (auto fused = fuse(n, kids, e.span)) return *fused;
        const auto id = push(n, kids, e.span);
        return foldable(n, kids) ? fold(id) : id;
    }

    // Whether a node whose children are all constants is itself one. (A dated set's
    // membership depends on the day: `"KH" in D5` is not a constant; nor is
    // `chips["H20"].tpp` or `"H20" in chips` when the table has dated rows.)
    bool foldable(const Node& n, const std::vector<std::int32_t>& kids) const {
        if (!o_.fold || kids.empty() || n.op == NodeOp::Has || n.op == NodeOp::InList || Node::binds(n.op)) return false;
        if (n.op == NodeOp::InSet && set_.sets[n.set()].dated()) return false;
        if ((n.op == NodeOp::Lookup || n.op == NodeOp::InTable) && p_.tables[static_cast<std::size_t>(n.table())].dated())
            return false;
        return std::all_of(kids.begin(), kids.end(), [&](auto k) { return is_const(k); });
    }

    const CheckedPolicySet& set_;
    const CompileOptions o_;
    Program& p_;
};

}  // namespace

const char* node_op_name(NodeOp op) {
    static const char* names[] = {"const", "attr", "elem", "let", "not", "neg", "and", "or",
                                  "eq", "ne", "lt", "le", "gt", "ge", "add", "sub", "mul", "div",
                                  "in_set", "in_list", "in_table", "has", "any", "all", "count", "sum",
                                  "lookup", "if", "attr_in_set", "elem_in_set", "attr_cmp_num",
                                  "attr_eq_str", "elem_eq_str", "attr_true"};
    return names[static_cast<int>(op)];
}

std::shared_ptr<const Program> compile(const CheckedPolicySet& set, const CompileOptions& options) {
    auto p = std::make_shared<Program>();
    Compiler(set, options, *p).run();
    return p;
}

}  // namespace cordon
