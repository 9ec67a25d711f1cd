// The hot path: one recursive dispatch over the flat node array. No allocation, no
// string look-ups; errors are values (Kleene logic: false absorbs errors in `and`,
// true absorbs them in `or`, `any`, and `all`'s false).
#include "cordon/engine/evaluate.hpp"
#include "index/candidates.hpp"
#include "program/program.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cordon {

const char* verdict_name(Verdict v) {
    switch (v) {
        case Verdict::Allow: return "allow";
        case Verdict::Deny: return "deny";
        case Verdict::Report: return "report";
    }
    return "?";
}

Evaluator::Evaluator(const Program& program)
    : program_(program),
      nodes_(program.nodes.data()),
      kids_(program.kids.data()),
      let_(program.lets.size()),
      vars_(static_cast<std::size_t>(program.variable_slots), nullptr),
      candidates_((program.rules.size() + 63) / 64, 0) {
    summary_.assign((candidates_.size() + 63) / 64, 0);
    unpinned_.assign(candidates_.size(), 0);
    active_.assign(candidates_.size(), 0);
    active_unindexed_.reserve(program.unindexed.size());
}
Evaluator::~Evaluator() = default;
Evaluator::Evaluator(Evaluator&&) noexcept = default;

namespace {

inline bool truthy(const Value& v) { return v.tag == Value::Tag::Bool && v.b; }
inline bool falsy(const Value& v) { return v.tag == Value::Tag::Bool && !v.b; }

// A family member's threshold: `x op constant` (op one of >=, >, <=, <).
inline bool holds(NodeOp op, double x, double constant) {
    switch (op) {
        case NodeOp::Ge: return x >= constant;
        case NodeOp::Gt: return x > constant;
        case NodeOp::Le: return x <= constant;
        default: return x < constant;
    }
}

inline Value arith_result(double r) {
    if (!std::isfinite(r)) return Value::error(kNonFinite, 0);
    return Value::number(r);
}

}  // namespace

// Leaves and cached lets are decided here, in a function that needs no stack frame; the
// operators that recurse (and so keep values across calls) are in eval_inner, reached by a
// tail call. Most nodes a plan runs are leaves: they pay no frame set-up.
template <bool Traced>
Value Evaluator::eval_node(std::int32_t index) {
    const Node& n = nodes_[index];
    const Request& rq = *request_;
    switch (n.op) {
        case NodeOp::Const: return n.constant();
        case NodeOp::Attr: {
            const Value& v = rq.root[n.slot()];
            if (v.tag == Value::Tag::Absent) return Value::error(kAbsentAttribute, n.attribute());
            return v;
        }
        case NodeOp::Elem: {
            const Value& v = vars_[n.variable()][n.slot()];
            if (v.tag == Value::Tag::Absent) return Value::error(kAbsentAttribute, n.attribute());
            return v;
        }
        case NodeOp::LetRef: {
            const LetCache& c = let_[n.let()];
            if (c.generation == generation_) return c.value;
            return eval_let<Traced>(n.let());
        }
        case NodeOp::Has: {
            const Node& target = nodes_[kids_[n.first_kid()]];
            const Value& v = target.op == NodeOp::Attr ? rq.root[target.slot()] : vars_[target.variable()][target.slot()];
            return Value::boolean(v.present());
        }
        case NodeOp::AttrInSet: case NodeOp::ElemInSet: {
            const bool root = n.op == NodeOp::AttrInSet;
            const Value& x = root ? rq.root[n.slot()] : vars_[n.variable()][n.slot()];
            if (!x.present()) return Value::error(kAbsentAttribute, n.attribute());
            const std::uint32_t set = n.fused_set(), word = x.s >> 6;
            if (word >= program_.set_words[set]) return Value::boolean(false);
            return Value::boolean((program_.set_bitset(set, window_)[word] >> (x.s & 63)) & 1);
        }
        case NodeOp::AttrCmpNum: {
            const Value& x = rq.root[n.slot()];
            if (!x.present()) return Value::error(kAbsentAttribute, n.attribute());
            const double c = n.number();
            switch (n.comparison()) {
                case NodeOp::Eq: return Value::boolean(x.n == c);
                case NodeOp::Ne: return Value::boolean(x.n != c);
                case NodeOp::Lt: return Value::boolean(x.n < c);
                case NodeOp::Le: return Value::boolean(x.n <= c);
                case NodeOp::Gt: return Value::boolean(x.n > c);
                default: return Value::boolean(x.n >= c);
            }
        }
        case NodeOp::AttrTrue: {
            const Value& x = rq.root[n.slot()];
            return x.present() ? x : Value::boolean(false);
        }
        case NodeOp::AttrEqStr: case NodeOp::ElemEqStr: {
            const bool root = n.op == NodeOp::AttrEqStr;
            const Value& x = root ? rq.root[n.slot()] : vars_[n.variable()][n.slot()];
            if (!x.present()) return Value::error(kAbsentAttribute, n.attribute());
            return Value::boolean((x.s == n.string_id()) == (n.comparison() == NodeOp::Eq));
        }
        default: return eval_inner<Traced>(n);
    }
}

// A let not yet computed for this request: its table (untraced), else its body.
template <bool Traced>
Value Evaluator::eval_let(std::int32_t let) {
    Value v;
    // (Traced: the body, so that `explain` shows its parts; the value is the same.)
    const std::int32_t table = Traced ? -1 : program_.let_key_table[let];
    if (table == -1 || !program_.key_tables[table].lookup(request_->root, window_, v)) v = eval<Traced>(program_.lets[let]);
    LetCache& c = let_[let];
    c.value = v;  // (field by field: an aggregate store goes through the stack and stalls)
    c.generation = generation_;
    return v;
}

template <bool Traced>
Value Evaluator::eval_inner(const Node& n) {
    const std::int32_t* kid = kids_ + n.first_kid();
    const Request& rq = *request_;
    switch (n.op) {
        case NodeOp::Not: {
            const Value v = eval<Traced>(kid[0]);
            if (v.is_error()) return v;
            return Value::boolean(!v.b);
        }
        case NodeOp::Neg: {
            const Value v = eval<Traced>(kid[0]);
            if (v.is_error()) return v;
            return Value::number(-v.n);
        }
        case NodeOp::And: {
            const Value l = eval<Traced>(kid[0]);
            if (falsy(l)) return l;
            const Value r = eval<Traced>(kid[1]);
            if (falsy(r)) return r;
            return l.is_error() ? l : r;
        }
        case NodeOp::Or: {
            const Value l = eval<Traced>(kid[0]);
            if (truthy(l)) return l;
            const Value r = eval<Traced>(kid[1]);
            if (truthy(r)) return r;
            return l.is_error() ? l : r;
        }
        case NodeOp::Eq: case NodeOp::Ne: case NodeOp::Lt: case NodeOp::Le: case NodeOp::Gt: case NodeOp::Ge: {
            const Value l = eval<Traced>(kid[0]);
            if (l.is_error()) return l;
            const Value r = eval<Traced>(kid[1]);
            if (r.is_error()) return r;
            int c = 0;  // -1, 0, 1
            switch (n.operand_type()) {
                case Type::Number: c = l.n < r.n ? -1 : (l.n > r.n ? 1 : 0); break;
                case Type::Date: c = l.d < r.d ? -1 : (l.d > r.d ? 1 : 0); break;
                case Type::Bool: c = l.b == r.b ? 0 : 1; break;
                case Type::String:
                    if (l.s == r.s) c = 0;
                    else if (n.op == NodeOp::Eq || n.op == NodeOp::Ne) c = 1;  // mutation: skip line: a shortcut only, distinct ids being distinct texts (the text order below is never 0 for them)
                    else {
                        const auto lt = rq.text(program_, l.s), rt = rq.text(program_, r.s);
                        c = lt < rt ? -1 : (lt > rt ? 1 : 0);
                    }
                    break;
            }
            bool out = false;
            switch (n.op) {
                case NodeOp::Eq: out = c == 0; break;
                case NodeOp::Ne: out = c != 0; break;
                case NodeOp::Lt: out = c < 0; break;
                case NodeOp::Le: out = c <= 0; break;
                case NodeOp::Gt: out = c > 0; break;
                default: out = c >= 0; break;
            }
            return Value::boolean(out);
        }
        case NodeOp::Add: case NodeOp::Sub: case NodeOp::Mul: case NodeOp::Div: {
            const Value l = eval<Traced>(kid[0]);
            if (l.is_error()) return l;
            const Value r = eval<Traced>(kid[1]);
            if (r.is_error()) return r;
            switch (n.op) {
                case NodeOp::Add: return arith_result(l.n + r.n);
                case NodeOp::Sub: return arith_result(l.n - r.n);
                case NodeOp::Mul: return arith_result(l.n * r.n);
                default:
                    if (r.n == 0) return Value::error(kDivisionByZero, 0);
                    return arith_result(l.n / r.n);
            }
        }
        case NodeOp::InSet: {
            const std::uint32_t set = n.set();
            const Value x = eval<Traced>(kid[0]);
            if (x.is_error()) return x;
            const std::uint32_t word = x.s >> 6;
            if (word >= program_.set_words[set]) return Value::boolean(false);
            return Value::boolean((program_.set_bitset(set, window_)[word] >> (x.s & 63)) & 1);
        }
        case NodeOp::InList: {
            const Value x = eval<Traced>(kid[0]);
            if (x.is_error()) return x;
            const auto span = rq.lists[n.list()];
            for (std::uint32_t i = 0; i < span.count; ++i) {
                const Value& e = rq.elems[span.begin + i];
                if (e.tag == Value::Tag::String && e.s == x.s) return Value::boolean(true);
            }
            return Value::boolean(false);
        }
        case NodeOp::InTable: {
            const Value x = eval<Traced>(kid[0]);
            if (x.is_error()) return x;
            return Value::boolean(program_.tables[n.table()].row(window_, x.s) >= 0);  // (the key's row on the day decided)
        }
        case NodeOp::Any: case NodeOp::All: {
            const auto span = rq.lists[n.list()];
            const auto stride = static_cast<std::uint32_t>(program_.lists[n.list()].stride);
            const std::int32_t var = n.variable();
            const bool want = n.op == NodeOp::Any;  // the value that decides early
            if (const Node& body = nodes_[kid[0]]; body.op == NodeOp::ElemInSet && body.variable() == var)
                return quantify_in_set(body, span, stride, want);
            const Value* const outer = vars_[var];  // restored at the end: see compile.cpp
            Value out = Value::boolean(!want);
            for (std::uint32_t i = 0; i < span.count; ++i) {
                vars_[var] = rq.elems.data() + span.begin + i * stride;
                const Value v = eval<Traced>(kid[0]);
                if (v.is_error()) {
                    if (!out.is_error()) out = v;
                } else if (v.b == want) {
                    out = Value::boolean(want);
                    break;
                }
            }
            vars_[var] = outer;
            return out;
        }
        case NodeOp::Count: case NodeOp::Sum: {
            const auto span = rq.lists[n.list()];
            const auto stride = static_cast<std::uint32_t>(program_.lists[n.list()].stride);
            const std::int32_t var = n.variable();
            if (const Node& cond = nodes_[kid[0]]; cond.op == NodeOp::ElemInSet && cond.variable() == var) {
                if (n.op == NodeOp::Count) return total_in_set(cond, nullptr, span, stride);
                if (const Node& v = nodes_[kid[1]]; v.op == NodeOp::Elem && v.variable() == var) return total_in_set(cond, &v, span, stride);
            }
            const Value* const outer = vars_[var];
            double total = 0;
            Value err;
            for (std::uint32_t i = 0; i < span.count && !err.is_error(); ++i) {
                vars_[var] = rq.elems.data() + span.begin + i * stride;
                const Value c = eval<Traced>(kid[0]);
                if (c.is_error()) err = c;
                else if (!c.b) continue;
                else if (n.op == NodeOp::Count) total += 1;
                else if (const Value v = eval<Traced>(kid[1]); v.is_error()) err = v;
                else total += v.n;
            }
            vars_[var] = outer;
            return err.is_error() ? err : arith_result(total);
        }
        case NodeOp::Lookup: {
            const Value key = eval<Traced>(kid[0]);
            if (key.is_error()) return key;
            const auto table = static_cast<std::uint32_t>(n.table());
            const auto column = static_cast<std::uint32_t>(n.column());
            const auto& t = program_.tables[table];
            const std::int32_t row = t.row(window_, key.s);  // (dated rows: the one of the day decided)
            if (row < 0) return Value::error(kMissingTableKey, table, key.s);
            const Value& cell = t.cells[static_cast<std::size_t>(row) * t.columns + column];
            if (!cell.present()) return Value::error(kMissingTableCell, table, column);
            return cell;
        }
        case NodeOp::If: {
            const Value c = eval<Traced>(kid[0]);
            if (c.is_error()) return c;
            return eval<Traced>(c.b ? kid[1] : kid[2]);
        }
        default: break;  // (leaves: eval_node)
    }
    return Value::error(kNonFinite, 0);
}

// `any p in L: p.f in S` (or `all`) as one loop over the elements' field: no binding, no
// dispatch per element. As the general loop: `want` found decides; else the first error.
Value Evaluator::quantify_in_set(const Node& body, Request::ListSpan span, std::uint32_t stride, bool want) const {
    // No element: no pointer (`elems` may be empty, and null + offset is undefined).
    const Value* e = span.count ? request_->elems.data() + span.begin + body.slot() : nullptr;
    const std::uint64_t* const bits = program_.set_bitset(body.fused_set(), window_);
    const std::uint32_t words = program_.set_words[body.fused_set()];
    Value out = Value::boolean(!want);
    for (std::uint32_t i = 0; i < span.count; ++i, e += stride) {
        if (!e->present()) {
            if (!out.is_error()) out = Value::error(kAbsentAttribute, body.attribute());
        } else if (Program::RuleIndex::holds(bits, words, e->s) == want) {
            return Value::boolean(want);
        }
    }
    return out;
}

// `count(o in L where o.f in S)` and `sum(o in L where o.f in S: o.g)` likewise: the first
// error (in the condition, or in the value of an element that meets it) ends the loop.
Value Evaluator::total_in_set(const Node& cond, const Node* value, Request::ListSpan span, std::uint32_t stride) const {
    const Value* e = span.count ? request_->elems.data() + span.begin : nullptr;
    const std::uint64_t* const bits = program_.set_bitset(cond.fused_set(), window_);
    const std::uint32_t words = program_.set_words[cond.fused_set()];
    double total = 0;
    for (std::uint32_t i = 0; i < span.count; ++i, e += stride) {
        const Value& x = e[cond.slot()];
        if (!x.present()) return Value::error(kAbsentAttribute, cond.attribute());
        if (!Program::RuleIndex::holds(bits, words, x.s)) continue;
        if (!value) {
            total += 1;
            continue;
        }
        const Value& v = e[value->slot()];
        if (!v.present()) return Value::error(kAbsentAttribute, value->attribute());
        total += v.n;
    }
    return arith_result(total);
}

// A fused node reads its attribute directly; for `explain`, record that read as the value
// of the unfused operand it keeps as its child.
void Evaluator::trace_operand(std::int32_t index) {
    const Node& n = program_.nodes[index];
    if (n.op < NodeOp::AttrInSet || n.kid_count() == 0) return;
    const std::int32_t kid = program_.kid(n, 0);
    const Value& v = Node::reads_element(n.op) ? vars_[n.variable()][n.slot()] : request_->root[n.slot()];
    trace_->values[kid] = v.present() ? v : Value::error(kAbsentAttribute, 0);
    trace_->seen[kid] = trace_->stamp;
}

int Evaluator::compare_text(const void* evaluator, std::uint32_t a, std::uint32_t b) {
    const auto& self = *static_cast<const Evaluator*>(evaluator);
    const auto at = self.request_->text(self.program_, a), bt = self.request_->text(self.program_, b);
    return at < bt ? -1 : (at > bt ? 1 : 0);
}

// Every cached let value belongs to an older generation from here on; once in 2^32 requests
// the counter wraps around, and the entries are cleared so that none is taken as current.
inline void Evaluator::next_generation() {
    if (++generation_ == 0) {
        for (auto& c : let_) c.generation = 0;
        generation_ = 1;
        ++let_cache_clears_;
    }
}

Value Evaluator::evaluate(const Request& request, std::int32_t node, bool keep_cache) {
    request_ = &request;
    if (!keep_cache) next_generation();
    return eval_any(node);
}

Value Evaluator::eval_plan(const ProgramRule& rule, std::uint32_t first) {
    const PlanStep* step = program_.plan.data() + rule.plan_first + first;
    const PlanStep* const end = program_.plan.data() + rule.plan_first + rule.plan_count;
    Value err;
    std::int32_t err_order = 0;
    for (; step != end; ++step) {
        const Value v = eval<false>(step->node);
        if (v.tag == Value::Tag::Bool) {
            if (v.b == step->negate) return Value::boolean(false);
        } else if (!err.is_error() || step->order < err_order) {
            err = v;
            err_order = step->order;
        }
    }
    return err.is_error() ? err : Value::boolean(true);
}

namespace {

// Appends `x` to `v`, which stays sorted by rule: rules are settled in rule order but for
// twins and family members, which go a few places back at most. (No allocation: the
// decision's vectors keep their capacity from request to request.)
template <class T, class Rule>
void add_in_order(std::vector<T>& v, T x, Rule rule) {
    v.push_back(x);
    for (std::size_t i = v.size() - 1; i > 0 && rule(v[i - 1]) > rule(x); --i) std::swap(v[i - 1], v[i]);
}

}  // namespace

// A rule whose `when` held (and `unless` did not), or failed: it fires, or its error is
// recorded; with `twins`, the same for each of its twins (they decide alike). This is
// settling a rule (docs/engine.md, "Terms the code uses").
void Evaluator::settle(std::uint32_t rule, const Value& outcome, bool twins, Decision& out, Effects& fx) {
    const ProgramRule& r = program_.rules[rule];
    const std::uint32_t* const twin = program_.twins.data() + r.twins_first;
    const std::uint32_t count = twins ? r.twins_count : 0;
    if (outcome.is_error()) {
        auto rule_of = [](const RuleError& e) { return e.rule; };
        add_in_order(out.errors, RuleError{rule, outcome}, rule_of);
        for (std::uint32_t k = 0; k < count; ++k) add_in_order(out.errors, RuleError{twin[k], outcome}, rule_of);
        return;
    }
    fx.effects |= twins ? r.effects : static_cast<std::uint8_t>(1u << static_cast<unsigned>(r.effect));
    auto self = [](std::uint32_t i) { return i; };
    add_in_order(out.fired, rule, self);
    for (std::uint32_t k = 0; k < count; ++k) add_in_order(out.fired, twin[k], self);
}

// The rule `i` (record `r`) whose `when` gave `v`, true or an error, then its `unless`:
// false when the `unless` held (the rule does not fire); else `v` is the rule's outcome,
// the `unless`'s error if it failed. The only place `unless` meets `when`.
template <Evaluator::Mode M>
[[gnu::always_inline]] inline bool Evaluator::passes_unless(std::uint32_t i, const ProgramRule& r, Value& v) {
    if (v.is_error() || r.plan_unless < 0) return true;
    Value u;
    if constexpr (M == Mode::Native) u = native_->unless(i)(&native_context_);
    else if constexpr (M == Mode::Traced) u = eval<true>(r.unless);
    else u = eval<false>(r.plan_unless);
    if (truthy(u)) return false;
    if (u.is_error()) v = u;
    return true;
}

// The other members of a threshold family whose leader's `when` was `when` (true or an
// error): each its own threshold (native code: its whole plan), then its `unless`, settled.
template <Evaluator::Mode M>
[[gnu::noinline]] void Evaluator::settle_family(const ProgramRule& leader, const Value& when, Decision& out, Effects& fx) {
    const FamilyMember* const members = program_.family.data() + leader.family_first;
    // The compared value, the same for every member (an error in it is each one's error).
    Value e;
    if constexpr (M == Mode::Plan) e = eval<false>(members[0].operand);
    for (std::uint32_t k = 0; k < leader.family_count; ++k) {
        const FamilyMember& m = members[k];
        Value v = when;
        if constexpr (M == Mode::Native) v = native_->plan(m.rule)(&native_context_);
        else if (e.tag == Value::Tag::Number && !holds(m.op, e.n, m.constant)) continue;
        if (falsy(v)) continue;
        if (passes_unless<M>(m.rule, program_.rules[m.rule], v)) settle(m.rule, v, true, out, fx);
    }
}

// One rule run: its `when` (from conjunct `first` of its plan on: the index has proved the
// ones before), its family when `heads`, its `unless`, then settled. `heads`: the rule
// stands for its twins and family (the candidates); else it stands for itself (visit all).
template <Evaluator::Mode M>
[[gnu::always_inline]] inline void Evaluator::run_rule(std::uint32_t i, std::uint32_t first, bool heads, Decision& out, Effects& fx) {
    const ProgramRule& r = program_.rules[i];
    Value v;
    if constexpr (M == Mode::Native) v = native_->plan(i)(&native_context_);
    else if constexpr (M == Mode::Traced) v = eval<true>(r.when);
    else v = first == r.plan_count ? Value::boolean(true) : eval_plan(r, first);
    if (falsy(v)) return;
    if constexpr (M != Mode::Traced)
        if (heads && r.family_count) settle_family<M>(r, v, out, fx);
    if (passes_unless<M>(i, r, v)) settle(i, v, heads, out, fx);
}

// Every active rule, each in its own right (twins too): `explain` and the reference.
void Evaluator::run_all(const EvalOptions& options, Decision& out, Effects& fx) {
    const auto& rules = program_.rules;
    for (std::uint32_t i = 0; i < rules.size(); ++i) {
        const ProgramRule& r = rules[i];
        if (!options.enforces(program_.rule_policy[i], r.status)) continue;
        if (options.as_of < r.effective || options.as_of >= r.sunset) continue;
        if (trace_) run_rule<Mode::Traced>(i, 0, false, out, fx);
        else run_rule<Mode::Plan>(i, 0, false, out, fx);
    }
}

void Evaluator::set_day(std::int32_t day) { window_ = program_.set_window(day); }

// A guard of rule `i` already computed false for this request: a conjunct of it is false.
// (Inline: called once per candidate, from run_candidates only.)
inline bool Evaluator::guarded_out(std::uint32_t i) const {
    for (std::uint64_t need = program_.rule_guards[i]; need; need &= need - 1) {
        const auto let = static_cast<std::size_t>(program_.guards[static_cast<unsigned>(__builtin_ctzll(need))]);
        if (let_[let].generation == generation_ && falsy(let_[let].value)) return true;
    }
    return false;
}

// The candidates marked by mark_candidates, in rule order, each run once; the bitmaps are
// cleared on the way (only the words the summary marks are read). (Inline in decide, as
// mark_candidates: a call here saved and restored six registers per decision.)
template <Evaluator::Mode M>
[[gnu::always_inline]] inline void Evaluator::run_candidates(Decision& out, Effects& fx) {
    for (std::size_t s = 0; s < summary_.size(); ++s) {
        for (std::uint64_t words = summary_[s]; words; words &= words - 1) {
            const auto w = static_cast<std::uint32_t>(s * 64 + static_cast<unsigned>(__builtin_ctzll(words)));
            std::uint64_t word = candidates_[w] & active_[w];
            const std::uint64_t unpinned = unpinned_[w];
            candidates_[w] = 0;
            unpinned_[w] = 0;
            for (; word; word &= word - 1) {
                const auto i = w * 64 + static_cast<std::uint32_t>(__builtin_ctzll(word));
                if constexpr (M == Mode::Plan)
                    if (guarded_out(i)) continue;
                // (A rule found by the index starts after its pins, and often has nothing
                // more to test; native code runs them all.)
                const std::uint32_t first = (unpinned >> (i & 63)) & 1 ? 0 : program_.rules[i].plan_pinned;
                run_rule<M>(i, first, true, out, fx);  // a head's outcome is its twins' too
            }
        }
        summary_[s] = 0;
    }
}

void Evaluator::bind_native(const Request& request) {
    auto& c = native_context_;
    c.root = request.root.data();
    c.lists = request.lists.data();
    c.elems = request.elems.data();
    c.lets = let_.data();
    c.generation = generation_;
    c.vars = vars_.data();
    c.compare_text = &Evaluator::compare_text;
    c.evaluator = this;
    c.set_window = window_;
}

// The verdict from the effects of the rules fired and the errors (LANGUAGE.md: a deny wins;
// an error denies under `on_error: deny`; a default deny needs an allow).
inline Verdict Evaluator::verdict_of(const Effects& fx, const Decision& out) const {
    auto has = [&](ast::Effect e) { return (fx.effects >> static_cast<unsigned>(e)) & 1; };
    if (has(ast::Effect::Deny) || (!out.errors.empty() && program_.on_error == OnError::Deny)) return Verdict::Deny;
    if (program_.default_effect == DefaultEffect::Deny && !has(ast::Effect::Allow)) return Verdict::Deny;
    if (has(ast::Effect::Report)) return Verdict::Report;
    return Verdict::Allow;
}

// The simple path: a fresh let cache, the candidates (candidates.hpp, beside the index),
// each candidate run once (run_rule), the verdict. Every active rule on its own instead
// when asked (explain) or when the options part a group of twins or a family.
void Evaluator::decide(const Request& request, const EvalOptions& options, Decision& out) {
    out.clear();
    out.as_of = options.as_of;
    out.time_source = options.time_source;
    window_ = program_.set_epochs.empty() ? 0 : program_.set_window(options.as_of);
    out.statuses = options.statuses;
    out.policies = options.policies;
    request_ = &request;
    next_generation();
    Effects fx;
    ensure_active(options);
    if (on_own_) [[unlikely]] {
        run_all(options, out, fx);
    } else {
        mark_candidates(request);
        if (native_) {
            bind_native(request);
            run_candidates<Mode::Native>(out, fx);
        } else {
            run_candidates<Mode::Plan>(out, fx);
        }
    }
    out.verdict = verdict_of(fx, out);
}

}  // namespace cordon
