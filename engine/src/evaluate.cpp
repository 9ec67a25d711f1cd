// The hot path: one recursive dispatch over the flat node array. No allocation, no
// string look-ups; errors are values (Kleene logic: false absorbs errors in `and`,
// true absorbs them in `or`, `any`, and `all`'s false).
#include "cordon/engine/evaluate.hpp"

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

namespace {

inline bool truthy(const Value& v) { return v.tag == Value::Tag::Bool && v.b; }
inline bool falsy(const Value& v) { return v.tag == Value::Tag::Bool && !v.b; }

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
        case NodeOp::Const: return n.k;
        case NodeOp::Attr: {
            const Value& v = rq.root[n.a];
            if (v.tag == Value::Tag::Absent) return Value::error(kAbsentAttribute, static_cast<std::uint32_t>(n.b));
            return v;
        }
        case NodeOp::Elem: {
            const Value& v = vars_[n.b][n.a];
            if (v.tag == Value::Tag::Absent) return Value::error(kAbsentAttribute, static_cast<std::uint32_t>(n.k.s));
            return v;
        }
        case NodeOp::LetRef: {
            const LetCache& c = let_[n.a];
            if (c.generation == generation_) return c.value;
            return eval_let<Traced>(n.a);
        }
        case NodeOp::Has: {
            const Node& target = nodes_[kids_[n.first]];
            const Value& v = target.op == NodeOp::Attr ? rq.root[target.a] : vars_[target.b][target.a];
            return Value::boolean(v.present());
        }
        case NodeOp::AttrInSet: case NodeOp::ElemInSet: {
            const bool root = n.op == NodeOp::AttrInSet;
            const Value& x = root ? rq.root[n.a] : vars_[n.b][n.a];
            if (!x.present()) return Value::error(kAbsentAttribute, root ? static_cast<std::uint32_t>(n.b) : n.k.s);
            const std::uint32_t set = n.k.aux, word = x.s >> 6;
            if (word >= program_.set_words[set]) return Value::boolean(false);
            return Value::boolean((program_.set_bitset(set, window_)[word] >> (x.s & 63)) & 1);
        }
        case NodeOp::AttrCmpNum: {
            const Value& x = rq.root[n.a];
            if (!x.present()) return Value::error(kAbsentAttribute, static_cast<std::uint32_t>(n.b));
            switch (n.sub) {
                case NodeOp::Eq: return Value::boolean(x.n == n.k.n);
                case NodeOp::Ne: return Value::boolean(x.n != n.k.n);
                case NodeOp::Lt: return Value::boolean(x.n < n.k.n);
                case NodeOp::Le: return Value::boolean(x.n <= n.k.n);
                case NodeOp::Gt: return Value::boolean(x.n > n.k.n);
                default: return Value::boolean(x.n >= n.k.n);
            }
        }
        case NodeOp::AttrTrue: {
            const Value& x = rq.root[n.a];
            return x.present() ? x : Value::boolean(false);
        }
        case NodeOp::AttrEqStr: case NodeOp::ElemEqStr: {
            const bool root = n.op == NodeOp::AttrEqStr;
            const Value& x = root ? rq.root[n.a] : vars_[n.b][n.a];
            if (!x.present()) return Value::error(kAbsentAttribute, root ? static_cast<std::uint32_t>(n.b) : n.k.aux);
            return Value::boolean((x.s == n.k.s) == (n.sub == NodeOp::Eq));
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
    if (table < 0 || !program_.key_tables[table].lookup(request_->root, v)) v = eval<Traced>(program_.lets[let]);
    LetCache& c = let_[let];
    c.value = v;  // (field by field: an aggregate store goes through the stack and stalls)
    c.generation = generation_;
    return v;
}

template <bool Traced>
Value Evaluator::eval_inner(const Node& n) {
    const std::int32_t* kid = kids_ + n.first;
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
            switch (static_cast<Type>(n.b)) {  // the operands' type
                case Type::Number: c = l.n < r.n ? -1 : (l.n > r.n ? 1 : 0); break;
                case Type::Date: c = l.d < r.d ? -1 : (l.d > r.d ? 1 : 0); break;
                case Type::Bool: c = l.b == r.b ? 0 : 1; break;
                case Type::String:
                    if (l.s == r.s) c = 0;
                    else if (n.op == NodeOp::Eq || n.op == NodeOp::Ne) c = 1;
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
            const Value x = eval<Traced>(kid[0]);
            if (x.is_error()) return x;
            const std::uint32_t word = x.s >> 6;
            if (word >= program_.set_words[n.a]) return Value::boolean(false);
            return Value::boolean((program_.set_bitset(static_cast<std::uint32_t>(n.a), window_)[word] >> (x.s & 63)) & 1);
        }
        case NodeOp::InList: {
            const Value x = eval<Traced>(kid[0]);
            if (x.is_error()) return x;
            const auto span = rq.lists[n.a];
            for (std::uint32_t i = 0; i < span.count; ++i) {
                const Value& e = rq.elems[span.begin + i];
                if (e.tag == Value::Tag::String && e.s == x.s) return Value::boolean(true);
            }
            return Value::boolean(false);
        }
        case NodeOp::InTable: {
            const Value x = eval<Traced>(kid[0]);
            if (x.is_error()) return x;
            const auto& t = program_.tables[n.a];
            return Value::boolean(x.s < t.row_of.size() && t.row_of[x.s] >= 0);
        }
        case NodeOp::Any: case NodeOp::All: {
            const auto span = rq.lists[n.a];
            const auto stride = static_cast<std::uint32_t>(program_.lists[n.a].stride);
            const bool want = n.op == NodeOp::Any;  // the value that decides early
            if (const Node& body = nodes_[kid[0]]; body.op == NodeOp::ElemInSet && body.b == n.b)
                return quantify_in_set(body, span, stride, want);
            const Value* const outer = vars_[n.b];  // restored at the end: see compile.cpp
            Value out = Value::boolean(!want);
            for (std::uint32_t i = 0; i < span.count; ++i) {
                vars_[n.b] = rq.elems.data() + span.begin + i * stride;
                const Value v = eval<Traced>(kid[0]);
                if (v.is_error()) {
                    if (!out.is_error()) out = v;
                } else if (v.b == want) {
                    out = Value::boolean(want);
                    break;
                }
            }
            vars_[n.b] = outer;
            return out;
        }
        case NodeOp::Count: case NodeOp::Sum: {
            const auto span = rq.lists[n.a];
            const auto stride = static_cast<std::uint32_t>(program_.lists[n.a].stride);
            if (const Node& cond = nodes_[kid[0]]; cond.op == NodeOp::ElemInSet && cond.b == n.b) {
                if (n.op == NodeOp::Count) return total_in_set(cond, nullptr, span, stride);
                if (const Node& v = nodes_[kid[1]]; v.op == NodeOp::Elem && v.b == n.b) return total_in_set(cond, &v, span, stride);
            }
            const Value* const outer = vars_[n.b];
            double total = 0;
            Value err;
            for (std::uint32_t i = 0; i < span.count && !err.is_error(); ++i) {
                vars_[n.b] = rq.elems.data() + span.begin + i * stride;
                const Value c = eval<Traced>(kid[0]);
                if (c.is_error()) err = c;
                else if (!c.b) continue;
                else if (n.op == NodeOp::Count) total += 1;
                else if (const Value v = eval<Traced>(kid[1]); v.is_error()) err = v;
                else total += v.n;
            }
            vars_[n.b] = outer;
            return err.is_error() ? err : arith_result(total);
        }
        case NodeOp::Lookup: {
            const Value key = eval<Traced>(kid[0]);
            if (key.is_error()) return key;
            const auto& t = program_.tables[n.a];
            if (key.s >= t.row_of.size() || t.row_of[key.s] < 0)
                return Value::error(kMissingTableKey, static_cast<std::uint32_t>(n.a), key.s);
            const Value& cell = t.cells[static_cast<std::size_t>(t.row_of[key.s]) * t.columns + n.b];
            if (!cell.present())
                return Value::error(kMissingTableCell, static_cast<std::uint32_t>(n.a), static_cast<std::uint32_t>(n.b));
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
    const Value* e = span.count ? request_->elems.data() + span.begin + body.a : nullptr;
    const std::uint64_t* const bits = program_.set_bitset(body.k.aux, window_);
    const std::uint32_t words = program_.set_words[body.k.aux];
    Value out = Value::boolean(!want);
    for (std::uint32_t i = 0; i < span.count; ++i, e += stride) {
        if (!e->present()) {
            if (!out.is_error()) out = Value::error(kAbsentAttribute, body.k.s);
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
    const std::uint64_t* const bits = program_.set_bitset(cond.k.aux, window_);
    const std::uint32_t words = program_.set_words[cond.k.aux];
    double total = 0;
    for (std::uint32_t i = 0; i < span.count; ++i, e += stride) {
        const Value& x = e[cond.a];
        if (!x.present()) return Value::error(kAbsentAttribute, cond.k.s);
        if (!Program::RuleIndex::holds(bits, words, x.s)) continue;
        if (!value) {
            total += 1;
            continue;
        }
        const Value& v = e[value->a];
        if (!v.present()) return Value::error(kAbsentAttribute, value->k.s);
        total += v.n;
    }
    return arith_result(total);
}

// A fused node reads its attribute directly; for `explain`, record that read as the value
// of the unfused operand it keeps as its child.
void Evaluator::trace_operand(std::int32_t index) {
    const Node& n = program_.nodes[index];
    if (n.op < NodeOp::AttrInSet || n.count == 0) return;
    const std::int32_t kid = program_.kids[n.first];
    const bool root = n.op == NodeOp::AttrInSet || n.op == NodeOp::AttrCmpNum || n.op == NodeOp::AttrEqStr ||
                      n.op == NodeOp::AttrTrue;
    const Value& v = root ? request_->root[n.a] : vars_[n.b][n.a];
    trace_->values[kid] = v.present() ? v : Value::error(kAbsentAttribute, 0);
    trace_->seen[kid] = trace_->stamp;
}

int Evaluator::compare_text(const void* evaluator, std::uint32_t a, std::uint32_t b) {
    const auto& self = *static_cast<const Evaluator*>(evaluator);
    const auto at = self.request_->text(self.program_, a), bt = self.request_->text(self.program_, b);
    return at < bt ? -1 : (at > bt ? 1 : 0);
}

Value Evaluator::evaluate(const Request& request, std::int32_t node, bool keep_cache) {
    request_ = &request;
    if (!keep_cache && ++generation_ == 0) {
        for (auto& c : let_) c.generation = 0;
        generation_ = 1;
    }
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
// recorded; with `twins`, the same for each of its twins (they decide alike).
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

// The other members of a threshold family whose leader's `when` was `when` (true or an
// error): each its own threshold (native code: its whole plan), its `unless`, then settled.
void Evaluator::settle_family(const ProgramRule& leader, const Value& when, Decision& out, Effects& fx) {
    const NativeCode* const native = native_;
    const FamilyMember* const members = program_.family.data() + leader.family_first;
    // The compared value, the same for every member (an error in it is each one's error).
    const Value e = native ? Value() : eval<false>(members[0].operand);
    for (std::uint32_t k = 0; k < leader.family_count; ++k) {
        const FamilyMember& m = members[k];
        Value v = when;
        if (native) {
            v = native->plan(m.rule)(&native_context_);
        } else if (e.tag == Value::Tag::Number) {
            bool holds = false;
            switch (m.op) {
                case NodeOp::Ge: holds = e.n >= m.constant; break;
                case NodeOp::Gt: holds = e.n > m.constant; break;
                case NodeOp::Le: holds = e.n <= m.constant; break;
                default: holds = e.n < m.constant; break;
            }
            if (!holds) continue;
        }
        if (v.tag == Value::Tag::Bool && !v.b) continue;
        const ProgramRule& r = program_.rules[m.rule];
        if (!v.is_error() && r.plan_unless >= 0) {
            const Value u = native ? native->unless(m.rule)(&native_context_) : eval<false>(r.plan_unless);
            if (u.tag == Value::Tag::Bool && u.b) continue;
            if (u.is_error()) v = u;
        }
        settle(m.rule, v, true, out, fx);
    }
}

// The rules active under `options` (status enforced, `effective <= as_of < sunset`; not
// twins), as a bitmap the candidates are masked with; the unindexed ones among them; and
// the lists and index keys that hold any of them (the others are not consulted: in
// `policies/us` every pinned rule is proposed, a bill or rescinded). Valid for this status
// mask within this window of days (see Program::window_bounds).
void Evaluator::refresh_active(const EvalOptions& options, std::uint32_t window) {
    const auto& rules = program_.rules;
    std::fill(active_.begin(), active_.end(), 0);
    for (std::uint32_t i = 0; i < rules.size(); ++i) {
        const ProgramRule& r = rules[i];
        if (r.twin_of < 0 && r.family_of < 0 && options.enforces(program_.rule_policy[i], r.status) &&
            options.as_of >= r.effective && options.as_of < r.sunset)
            active_[i >> 6] |= std::uint64_t{1} << (i & 63);
    }
    active_unindexed_.clear();
    for (const auto i : program_.unindexed) {
        if (!((active_[i >> 6] >> (i & 63)) & 1)) continue;
        if (active_unindexed_.empty() || active_unindexed_.back().word != i / 64) active_unindexed_.push_back({i / 64, 0});
        active_unindexed_.back().bits |= std::uint64_t{1} << (i % 64);
    }
    auto any_active = [&](const std::vector<RuleWord>& words) {
        return std::any_of(words.begin(), words.end(), [&](const RuleWord& w) { return (active_[w.word] & w.bits) != 0; });
    };
    active_present_.clear();
    for (const auto& pr : program_.when_present)
        if (any_active(pr.rules)) active_present_.push_back(&pr);
    active_indexes_.clear();
    for (const auto& ix : program_.indexes) {
        if (!any_active(ix.rules)) continue;
        IndexProbe probe;
        probe.index = &ix;
        probe.count = static_cast<std::uint32_t>(ix.columns.size());
        for (std::size_t c = 0; c < ix.columns.size(); ++c) {
            const auto& col = ix.columns[c];
            probe.columns[c] = {col.kind, col.codes, col.slot, col.elem, col.stride, static_cast<std::uint32_t>(col.values.size()),
                                col.values.data(), col.absent.data(), col.absent.data() + col.absent.size()};
            probe.strings += col.kind == Program::RuleIndex::Column::Kind::String;
        }
        active_indexes_.push_back(probe);
    }
    active_valid_ = true;
    active_statuses_ = options.statuses;
    active_policies_ = options.policies;
    active_window_ = window;
}

void Evaluator::set_day(std::int32_t day) { window_ = program_.set_window(day); }

void Evaluator::decide(const Request& request, const EvalOptions& options, Decision& out) {
    out.clear();
    out.as_of = options.as_of;
    window_ = program_.set_epochs.empty() ? 0 : program_.set_window(options.as_of);
    out.statuses = options.statuses;
    out.policies = options.policies;
    request_ = &request;
    if (++generation_ == 0) {
        for (auto& c : let_) c.generation = 0;
        generation_ = 1;
    }
    Effects fx;
    const bool traced = trace_ != nullptr;  // explain: the trees, so that every node is recorded
    const auto& rules = program_.rules;
    // Candidates: the unindexed rules, the rules filed under this request's values, and the
    // rules whose pinned attribute the request lacks. Marked in a bitmap over rules, with a
    // summary bitmap over its words; only the words marked are read back (in order) and
    // cleared, so the cost follows the candidates, not the number of rules.
    auto& bits = candidates_;
    auto& summary = summary_;
    const bool all = visit_all_;
    if (!all) {
        auto mark = [&](const RuleWord* b, const RuleWord* e) {
            for (; b != e; ++b) {
                bits[b->word] |= b->bits;
                summary[b->word >> 6] |= std::uint64_t{1} << (b->word & 63);
            }
        };
        const auto& bounds = program_.window_bounds;
        const auto window = static_cast<std::uint32_t>(std::upper_bound(bounds.begin(), bounds.end(), options.as_of) - bounds.begin());
        if (!active_valid_ || options.statuses != active_statuses_ || options.policies != active_policies_ ||
            window != active_window_)
            refresh_active(options, window);
        if (native_ && program_.rules.size() <= kNativeScan) {
            // Native code runs a rule's pins in a few instructions: under kNativeScan rules,
            // visiting every active rule costs less than consulting the index.
            for (std::uint32_t w = 0; w < active_.size(); ++w)
                if (active_[w]) {
                    bits[w] = active_[w];
                    summary[w >> 6] |= std::uint64_t{1} << (w & 63);
                }
        } else {
            mark(active_unindexed_.data(), active_unindexed_.data() + active_unindexed_.size());
            for (const auto* pr : active_present_)
                if (request.root[pr->slot].present()) mark(pr->rules.data(), pr->rules.data() + pr->rules.size());
            // Each key: its columns in order (the strings first, the most selective first); a
            // value no rule of the key is filed under ends the probe; an absent one (the
            // columns before it matching) marks the rules that read it unguarded (their pins
            // are not known true: they run their whole plans).
            const Value* const root = request.root.data();
            auto absent = [&](const ProbeColumn& col) {
                mark(col.absent_first, col.absent_last);
                for (const RuleWord* w = col.absent_first; w != col.absent_last; ++w) unpinned_[w->word] |= w->bits;
            };
            for (const IndexProbe& probe : active_indexes_) [&] {
                std::uint64_t key = 0;
                std::uint32_t c = 0;
                for (; c < probe.strings; ++c) {
                    const ProbeColumn& col = probe.columns[c];
                    const Value& v = root[col.slot];
                    if (v.tag != Value::Tag::String) {
                        if (v.tag == Value::Tag::Absent) absent(col);
                        return;
                    }
                    if (!Program::RuleIndex::holds(col.values, col.words, v.s)) return;
                    key |= Program::RuleIndex::key_part(c, v.s);
                }
                for (; c < probe.count; ++c) {
                    const ProbeColumn& col = probe.columns[c];
                    std::uint32_t code;
                    if (col.kind == Program::RuleIndex::Column::Kind::Bool) {
                        const Value& v = root[col.slot];
                        if (v.tag != Value::Tag::Bool) {
                            if (v.tag == Value::Tag::Absent) absent(col);
                            return;
                        }
                        code = v.b;
                    } else if (col.kind == Program::RuleIndex::Column::Kind::NonEmpty) {
                        code = request.lists[col.slot].count != 0;
                    } else {  // SomeInSet
                        const auto span = request.lists[col.slot];
                        const Value* e = span.count ? request.elems.data() + span.begin + col.elem : nullptr;
                        bool missing = false;
                        code = 0;
                        for (std::uint32_t i = 0; i < span.count && !code; ++i, e += col.stride) {
                            if (!e->present()) missing = true;
                            else code = Program::RuleIndex::holds(col.values, col.words, e->s);
                        }
                        if (!code && missing) {
                            absent(col);
                            return;
                        }
                    }
                    if (!((col.codes >> code) & 1)) return;
                    key |= Program::RuleIndex::key_part(c, code);
                }
                const auto [first, last] = probe.index->find(key);
                mark(first, last);
                // The rules found are visited after the other probes: their records are
                // fetched meanwhile.
                for (const RuleWord* b = first; b != last; ++b)
                    for (std::uint64_t bits = b->bits; bits; bits &= bits - 1) {
                        const auto i = b->word * 64 + static_cast<std::uint32_t>(__builtin_ctzll(bits));
                        __builtin_prefetch(&rules[i]);
                        __builtin_prefetch(&program_.rule_guards[i]);
                    }
            }();  // (a lambda: a column that ends the probe returns from it)
        }
    }
    if (all) {
        // Every active rule, each in its own right (twins too): `explain` and the reference.
        for (std::uint32_t i = 0; i < rules.size(); ++i) {
            const ProgramRule& r = rules[i];
            if (!options.enforces(program_.rule_policy[i], r.status)) continue;
            if (options.as_of < r.effective || options.as_of >= r.sunset) continue;
            Value w = traced ? eval<true>(r.when) : eval_plan(r, 0);
            if (w.tag == Value::Tag::Bool && !w.b) continue;
            if (!w.is_error() && r.unless >= 0) {
                const Value u = traced ? eval<true>(r.unless) : eval<false>(r.plan_unless);
                if (u.tag == Value::Tag::Bool && u.b) continue;
                if (u.is_error()) w = u;
            }
            settle(i, w, false, out, fx);
        }
    } else {
        const NativeCode* const native = native_;
        if (native) {
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
        for (std::size_t s = 0; s < summary.size(); ++s) {
            for (std::uint64_t words = summary[s]; words; words &= words - 1) {
                const auto w = static_cast<std::uint32_t>(s * 64 + static_cast<unsigned>(__builtin_ctzll(words)));
                std::uint64_t word = bits[w] & active_[w];
                const std::uint64_t unpinned = unpinned_[w];
                bits[w] = 0;
                unpinned_[w] = 0;
                for (; word; word &= word - 1) {
                    const auto i = w * 64 + static_cast<std::uint32_t>(__builtin_ctzll(word));
                    // A guard already computed false: a conjunct of this rule is false.
                    bool skip = false;
                    for (std::uint64_t need = native ? 0 : program_.rule_guards[i]; need && !skip; need &= need - 1) {
                        const auto let = static_cast<std::size_t>(program_.guards[static_cast<unsigned>(__builtin_ctzll(need))]);
                        skip = let_[let].generation == generation_ && falsy(let_[let].value);
                    }
                    if (skip) continue;
                    // (`when` then `unless` written out here and in the loop above: a shared
                    // inline helper measured 12% slower on the pre-built requests.)
                    const ProgramRule& r = rules[i];
                    // (A rule found by the index starts after its pins, and often has nothing
                    // more to test; native code runs them all.)
                    const std::uint32_t first = (unpinned >> (i & 63)) & 1 ? 0 : r.plan_pinned;
                    Value v = native                  ? native->plan(i)(&native_context_)
                              : first == r.plan_count ? Value::boolean(true)
                                                      : eval_plan(r, first);
                    if (v.tag == Value::Tag::Bool && !v.b) continue;
                    if (r.family_count) settle_family(r, v, out, fx);
                    if (!v.is_error() && r.plan_unless >= 0) {
                        const Value u = native ? native->unless(i)(&native_context_) : eval<false>(r.plan_unless);
                        if (u.tag == Value::Tag::Bool && u.b) continue;
                        if (u.is_error()) v = u;
                    }
                    settle(i, v, true, out, fx);  // a head's outcome is its twins' too
                }
            }
            summary[s] = 0;
        }
    }
    auto has = [&](ast::Effect e) { return (fx.effects >> static_cast<unsigned>(e)) & 1; };
    if (has(ast::Effect::Deny) || (!out.errors.empty() && program_.on_error == OnError::Deny))
        out.verdict = Verdict::Deny;
    else if (program_.default_effect == DefaultEffect::Deny && !has(ast::Effect::Allow))
        out.verdict = Verdict::Deny;
    else if (has(ast::Effect::Report))
        out.verdict = Verdict::Report;
    else
        out.verdict = Verdict::Allow;
}

}  // namespace cordon
