// The compiler: checked expressions -> flat nodes over slots. Strings are interned,
// sets become bitsets, tables dense arrays, lets shared nodes, and constants fold.
#include <algorithm>
#include <fmt/format.h>
#include <unordered_map>
#include <optional>

#include "cordon/engine/evaluate.hpp"
#include "cordon/engine/program.hpp"
#include "cordon/engine/request.hpp"
#include "index/index.hpp"
#include "compile/node_key.hpp"
#include "passes/families.hpp"
#include "passes/twins.hpp"
#include "passes/plan.hpp"

namespace cordon {

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
        for (const auto& a : set_.attrs.attrs)
            for (const auto& v : a.enum_values) intern(v);
        // Every two-letter code, so that a request's country is always a known id: no
        // request-local string for "DE" even when no policy names Germany.
        bool has_country = false;
        for (const auto& a : set_.attrs.attrs) has_country = has_country || a.type == ScalarType::Country;
        if (has_country)
            for (char x = 'A'; x <= 'Z'; ++x)
                for (char y = 'A'; y <= 'Z'; ++y) intern(std::string{x, y});
        for (const auto& s : set_.sets)
            for (const auto& m : s.members) intern(m);
        for (const auto& t : set_.tables)
            for (const auto& row : t.table.rows) {
                intern(row.key);
                for (const auto& c : row.cells)
                    if (c && c->type == ScalarType::String) intern(c->text);  // (a cell is a number, bool, string or date)
            }
        for (const auto& l : set_.lets) intern_all(l.body);
        for (const auto& r : set_.rules) {
            intern_all(r.when);
            if (r.unless) intern_all(*r.unless);
            for (const auto& piece : r.because)
                if (piece.expr) intern_all(*piece.expr);
        }
        build_epochs();
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
        for (const auto& r : p_.rules)
            for (const auto day : {r.effective, r.sunset})
                if (day != std::numeric_limits<std::int32_t>::min() && day != std::numeric_limits<std::int32_t>::max())
                    p_.window_bounds.push_back(day);
        std::sort(p_.window_bounds.begin(), p_.window_bounds.end());
        p_.window_bounds.erase(std::unique(p_.window_bounds.begin(), p_.window_bounds.end()), p_.window_bounds.end());
        p_.attr_read.assign(set_.attrs.attrs.size(), 0);
        for (const auto& n : p_.nodes) {
            if (n.op == NodeOp::Attr) p_.attr_read[n.b] = 1;
            if (n.op == NodeOp::Elem) p_.attr_read[n.k.s] = 1;
            if (n.op == NodeOp::InList) p_.attr_read[set_.attrs.lists[n.a].fields[0]] = 1;
        }
    }

private:
    std::uint32_t intern(const std::string& s) {
        auto [it, fresh] = p_.string_ids.emplace(s, static_cast<std::uint32_t>(p_.strings.size()));
        if (fresh) p_.strings.push_back(s);
        return it->second;
    }
    void intern_all(const CExpr& e) {
        if (e.form == Form::Const && e.type == Type::String) intern(e.text);
        for (const auto& a : e.args) intern_all(a);
    }

    // The days dated data changes on (Program::set_epochs): every `since` and `until` of
    // a dated set member or table row.
    void build_epochs() {
        auto add = [&](const DateWindow& w) {
            if (w.since != DateWindow::kOpen) p_.set_epochs.push_back(w.since);
            if (w.until != DateWindow::kNever) p_.set_epochs.push_back(w.until);
        };
        for (const auto& s : set_.sets)
            for (const auto& w : s.member_windows) add(w);
        for (const auto& t : set_.tables)
            for (const auto& row : t.table.rows) add(row.window);
        std::sort(p_.set_epochs.begin(), p_.set_epochs.end());
        p_.set_epochs.erase(std::unique(p_.set_epochs.begin(), p_.set_epochs.end()), p_.set_epochs.end());
    }

    // First day of window w (its days all decide alike: every `since` and `until` is an epoch).
    std::int32_t window_day(std::uint32_t w) const { return w == 0 ? DateWindow::kOpen : p_.set_epochs[w - 1]; }

    // One bitset per set and window (Program::set_epochs): a dated member is in the
    // windows its `since`..`until` covers. Membership cannot change inside a window, since
    // every `since` and `until` is an epoch: the window's first day stands for all of it.
    void build_sets() {
        const std::size_t words = (p_.strings.size() + 63) / 64;
        const std::uint32_t windows = p_.set_windows();
        for (const auto& s : set_.sets) {
            const auto base = static_cast<std::uint32_t>(p_.set_bits.size());
            p_.set_offset.push_back(base);
            p_.set_words.push_back(static_cast<std::uint32_t>(words));
            p_.set_bits.resize(p_.set_bits.size() + words * windows, 0);
            for (std::uint32_t w = 0; w < windows; ++w) {
                const std::int32_t day = window_day(w);
                std::uint64_t* bits = p_.set_bits.data() + base + w * words;
                for (std::size_t i = 0; i < s.members.size(); ++i) {
                    if (!s.member_on(i, day)) continue;
                    const auto id = p_.string_ids.at(s.members[i]);
                    bits[id >> 6] |= std::uint64_t{1} << (id & 63);
                }
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
                for (std::uint32_t w = 0; w < windows; ++w)
                    if (windows == 1 || row.window.holds(window_day(w)))
                        td.row_of[static_cast<std::size_t>(w) * td.keys + key] = static_cast<std::int32_t>(r);
                for (std::size_t c = 0; c < t.table.columns.size(); ++c) {
                    Value v;
                    if (c < row.cells.size() && row.cells[c]) {
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
        n.count = static_cast<std::uint8_t>(kids.size());
        NodeKey key(n, kids, as_written, span.end - span.begin);
        if (o_.hash_cons)
            if (auto it = shared_.find(key); it != shared_.end()) return it->second;
        p_.node_spans.push_back(span);
        n.first = static_cast<std::uint32_t>(p_.kids.size());
        p_.kids.insert(p_.kids.end(), kids.begin(), kids.end());
        p_.nodes.push_back(n);
        const auto id = static_cast<std::int32_t>(p_.nodes.size() - 1);
        if (o_.hash_cons) shared_.emplace(std::move(key), id);
        return id;
    }
    std::unordered_map<NodeKey, std::int32_t, NodeKeyHash> shared_;
    std::unordered_map<std::int32_t, std::int32_t> let_of_root_;  // root node -> first let with that body

    std::int32_t constant(Value v, Type t, Span span) {
        Node n;
        n.op = NodeOp::Const;
        n.type = t;
        n.k = v;
        return push(n, {}, span);
    }

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
        Node f;
        f.type = Type::Bool;
        if (n.op == NodeOp::InSet && node_at(0).op == NodeOp::Attr) {
            f.op = NodeOp::AttrInSet;
            f.a = node_at(0).a;
            f.b = node_at(0).b;
            f.k.aux = static_cast<std::uint32_t>(n.a);
            return push(f, {kids[0]}, span);
        }
        if (n.op == NodeOp::InSet && node_at(0).op == NodeOp::Elem) {
            f.op = NodeOp::ElemInSet;
            f.a = node_at(0).a;
            f.b = node_at(0).b;
            f.k.s = node_at(0).k.s;
            f.k.aux = static_cast<std::uint32_t>(n.a);
            return push(f, {kids[0]}, span);
        }
        if (n.op < NodeOp::Eq || n.op > NodeOp::Ge || kids.size() != 2) return std::nullopt;
        const bool attr_first = node_at(0).op != NodeOp::Const;
        const Node& operand = node_at(attr_first ? 0 : 1);
        const Node& constant = node_at(attr_first ? 1 : 0);
        if (constant.op != NodeOp::Const) return std::nullopt;
        const NodeOp op = attr_first ? n.op : flip(n.op);
        const auto type = static_cast<Type>(n.b);
        if (type == Type::Number && operand.op == NodeOp::Attr) {
            f.op = NodeOp::AttrCmpNum;
            f.a = operand.a;
            f.b = operand.b;
            f.k = Value::number(constant.k.n);
            f.sub = op;
            return push(f, {kids[attr_first ? 0 : 1]}, span);
        }
        if (type == Type::String && (op == NodeOp::Eq || op == NodeOp::Ne) &&
            (operand.op == NodeOp::Attr || operand.op == NodeOp::Elem)) {
            f.op = operand.op == NodeOp::Attr ? NodeOp::AttrEqStr : NodeOp::ElemEqStr;
            f.a = operand.a;
            f.b = operand.b;
            f.k = Value::string(constant.k.s);
            if (operand.op == NodeOp::Elem) f.k.aux = operand.k.s;
            f.sub = op;
            return push(f, {kids[attr_first ? 0 : 1]}, span);
        }
        return std::nullopt;
    }

    std::int32_t node(const CExpr& e) {
        Node n;
        n.type = e.type;
        std::vector<std::int32_t> kids;
        switch (e.form) {
            case Form::Const: {
                Value v;
                switch (e.type) {
                    case Type::Bool: v = Value::boolean(e.boolean); break;
                    case Type::Number: v = Value::number(e.number); break;
                    case Type::String: v = Value::string(p_.string_ids.at(e.text)); break;
                    case Type::Date: v = Value::date(e.date); break;
                }
                return constant(v, e.type, e.span);
            }
            case Form::Attr:
                n.op = NodeOp::Attr;
                n.a = set_.attrs.attrs[e.ref].slot;
                n.b = e.ref;
                return push(n, {}, e.span, e.text);
            case Form::Elem:
                n.op = NodeOp::Elem;
                n.a = set_.attrs.attrs[e.ref2].slot;
                n.b = slot_of_var_.at(static_cast<std::size_t>(e.ref));
                n.k = Value::string(static_cast<std::uint32_t>(e.ref2));  // attribute id, for errors
                return push(n, {}, e.span, e.text);
            case Form::LetRef: {
                const auto target = let_node(e.ref);
                if (o_.fold && is_const(target)) return target;
                n.op = NodeOp::LetRef;
                n.a = let_of_root_.emplace(target, e.ref).first->second;  // one cache slot per body
                return push(n, {}, e.span);
            }
            case Form::And:
            case Form::Or: {
                const auto l = node(e.args[0]);
                const auto r = node(e.args[1]);
                const bool is_and = e.form == Form::And;
                // `false and x` is false, `true and x` is x; dually for `or`.
                for (auto [c, other] : {std::pair{l, r}, std::pair{r, l}}) {
                    if (!o_.fold || !is_const(c)) continue;
                    const bool b = p_.nodes[c].k.b;
                    if (b == !is_and) return c;  // absorbing value
                    return other;                // neutral value
                }
                n.op = is_and ? NodeOp::And : NodeOp::Or;
                return push(n, {l, r}, e.span);
            }
            default: break;
        }
        const bool binds = e.form == Form::Any || e.form == Form::All || e.form == Form::Count || e.form == Form::Sum;
        std::int32_t slot = -1;
        if (binds) {
            slot = depth_++;
            if (slot_of_var_.size() <= static_cast<std::size_t>(e.ref2)) slot_of_var_.resize(e.ref2 + 1, -1);
            slot_of_var_[e.ref2] = slot;
        }
        for (const auto& a : e.args) kids.push_back(node(a));
        if (binds) --depth_;
        switch (e.form) {
            case Form::Not: n.op = NodeOp::Not; break;
            case Form::Neg: n.op = NodeOp::Neg; break;
            case Form::Eq: n.op = NodeOp::Eq; break;
            case Form::Ne: n.op = NodeOp::Ne; break;
            case Form::Lt: n.op = NodeOp::Lt; break;
            case Form::Le: n.op = NodeOp::Le; break;
            case Form::Gt: n.op = NodeOp::Gt; break;
            case Form::Ge: n.op = NodeOp::Ge; break;
            case Form::Add: n.op = NodeOp::Add; break;
            case Form::Sub: n.op = NodeOp::Sub; break;
            case Form::Mul: n.op = NodeOp::Mul; break;
            case Form::Div: n.op = NodeOp::Div; break;
            case Form::InSet: n.op = NodeOp::InSet; n.a = e.ref; break;
            case Form::InList: n.op = NodeOp::InList; n.a = e.ref; break;
            case Form::InTable: n.op = NodeOp::InTable; n.a = e.ref; break;
            case Form::Has: n.op = NodeOp::Has; break;
            case Form::Any: n.op = NodeOp::Any; n.a = e.ref; n.b = slot; break;
            case Form::All: n.op = NodeOp::All; n.a = e.ref; n.b = slot; break;
            case Form::Count: n.op = NodeOp::Count; n.a = e.ref; n.b = slot; break;
            case Form::Sum: n.op = NodeOp::Sum; n.a = e.ref; n.b = slot; break;
            case Form::Lookup: n.op = NodeOp::Lookup; n.a = e.ref; n.b = e.ref2; break;
            case Form::If: {
                if (o_.fold && is_const(kids[0])) return p_.nodes[kids[0]].k.b ? kids[1] : kids[2];
                n.op = NodeOp::If;
                break;
            }
            default: break;
        }
        if (n.op >= NodeOp::Eq && n.op <= NodeOp::Ge) n.b = static_cast<std::int32_t>(e.args[0].type);
        if (o_.fuse)
            if (auto fused = fuse(n, kids, e.span)) return *fused;
        const auto id = push(n, kids, e.span);
        // (A dated set's membership depends on the day: `"KH" in D5` is not a constant; nor
        // is `chips["H20"].tpp` or `"H20" in chips` when the table has dated rows.)
        const bool foldable = o_.fold && n.op != NodeOp::Has && n.op != NodeOp::InList && n.op != NodeOp::Any &&
                              !(n.op == NodeOp::InSet && set_.sets[static_cast<std::size_t>(n.a)].dated()) &&
                              !((n.op == NodeOp::Lookup || n.op == NodeOp::InTable) && p_.tables[static_cast<std::size_t>(n.a)].dated()) &&
                              n.op != NodeOp::All && n.op != NodeOp::Count && n.op != NodeOp::Sum &&
                              !kids.empty() &&
                              std::all_of(kids.begin(), kids.end(), [&](auto k) { return is_const(k); });
        return foldable ? fold(id) : id;
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
