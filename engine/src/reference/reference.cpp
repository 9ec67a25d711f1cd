// The reference evaluator (see reference.hpp): one plain recursive walk over checked
// expressions. Read it top to bottom as the definition of what a rule means.
#include "cordon/engine/reference.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string_view>
#include <vector>

#include "cordon/dsl/parse.hpp"
#include "cordon/engine/json_text.hpp"
#include "program/program.hpp"

namespace cordon {

namespace {

/// A value while evaluating: a scalar (strings by their text), absent, or an error.
/// `sid` is the string's id in the request or program when known (errors name it).
struct Scalar {
    Value::Tag tag = Value::Tag::Absent;
    bool b = false;
    double n = 0;
    std::int32_t d = 0;
    std::string_view s;
    std::uint32_t sid = Program::npos;
    Value error;  // when tag == Error

    bool is_error() const { return tag == Value::Tag::Error; }
    bool is_true() const { return tag == Value::Tag::Bool && b; }
    bool is_false() const { return tag == Value::Tag::Bool && !b; }

    static Scalar boolean(bool v) { Scalar x; x.tag = Value::Tag::Bool; x.b = v; return x; }
    static Scalar number(double v) { Scalar x; x.tag = Value::Tag::Number; x.n = v; return x; }
    static Scalar date(std::int32_t v) { Scalar x; x.tag = Value::Tag::Date; x.d = v; return x; }
    static Scalar text(std::string_view v, std::uint32_t id) {
        Scalar x; x.tag = Value::Tag::String; x.s = v; x.sid = id; return x;
    }
    static Scalar fail(Value e) { Scalar x; x.tag = Value::Tag::Error; x.error = e; return x; }
};

/// An arithmetic result: a number, or an error when it is not finite (docs/deviations.md).
Scalar arithmetic(double r) {
    return std::isfinite(r) ? Scalar::number(r) : Scalar::fail(Value::error(kNonFinite, 0));
}

/// One request's evaluation: the request, and the element each quantifier variable is
/// bound to (variables are numbered by the checker; a binding is restored on exit).
class Walk {
public:
    Walk(const CheckedPolicySet& set, const Program& program, const Request& request, std::int32_t day)
        : set_(set), program_(program), rq_(request), day_(day) {}

    Scalar eval(const CExpr& e) {
        switch (e.form) {
            case Form::Const: return constant(e);
            case Form::Attr: return read(rq_.root[set_.attrs.attrs[e.ref].slot], e.ref);
            case Form::Elem: return read(element(e.ref)[set_.attrs.attrs[e.ref2].slot], e.ref2);
            case Form::LetRef: {
                // A let's value is the same wherever it is used in one rule (lets read the
                // request and the day only): each is worked out once per rule, so that
                // `let a1 = a0 and a0` ... `let a60 = a59 and a59` stays linear.
                if (lets_.empty()) lets_.resize(set_.lets.size());
                auto& known = lets_[static_cast<std::size_t>(e.ref)];
                if (!known) known = eval(set_.lets[e.ref].body);
                return *known;
            }
            case Form::Has: {
                const CExpr& target = e.args[0];
                const Value& v = target.form == Form::Attr ? rq_.root[set_.attrs.attrs[target.ref].slot]
                                                           : element(target.ref)[set_.attrs.attrs[target.ref2].slot];
                return Scalar::boolean(v.present());
            }
            case Form::Not: {
                const Scalar v = eval(e.args[0]);
                return v.is_error() ? v : Scalar::boolean(!v.b);
            }
            case Form::Neg: {
                const Scalar v = eval(e.args[0]);
                return v.is_error() ? v : Scalar::number(-v.n);
            }
            // Kleene logic: false decides `and`, true decides `or`, on either side; else the
            // leftmost error. The right side is not needed once the left decides.
            case Form::And: {
                const Scalar l = eval(e.args[0]);
                if (l.is_false()) return l;
                const Scalar r = eval(e.args[1]);
                if (r.is_false()) return r;
                return l.is_error() ? l : r;
            }
            case Form::Or: {
                const Scalar l = eval(e.args[0]);
                if (l.is_true()) return l;
                const Scalar r = eval(e.args[1]);
                if (r.is_true()) return r;
                return l.is_error() ? l : r;
            }
            case Form::Eq: case Form::Ne: case Form::Lt: case Form::Le: case Form::Gt: case Form::Ge:
                return compare(e);
            case Form::Add: case Form::Sub: case Form::Mul: case Form::Div: return arithmetic_of(e);
            case Form::InSet: {
                const Scalar x = eval(e.args[0]);
                if (x.is_error()) return x;
                // A member counts on the days its window holds (dated data: `KH: {until: ...}`).
                const CheckedSet& s = set_.sets[e.ref];
                for (std::size_t i = 0; i < s.members.size(); ++i)
                    if (s.members[i] == x.s && s.member_on(i, day_)) return Scalar::boolean(true);
                return Scalar::boolean(false);
            }
            case Form::InList: {
                const Scalar x = eval(e.args[0]);
                if (x.is_error()) return x;
                for (const Value* el : elements(e.ref))
                    if (el->tag == Value::Tag::String && rq_.text(program_, el->s) == x.s) return Scalar::boolean(true);
                return Scalar::boolean(false);
            }
            case Form::InTable: {
                const Scalar x = eval(e.args[0]);
                if (x.is_error()) return x;
                return Scalar::boolean(row(set_.tables[e.ref].table, x.s) != nullptr);
            }
            case Form::Lookup: return lookup(e);
            case Form::Any: case Form::All: return quantify(e);
            case Form::Count: case Form::Sum: return total(e);
            case Form::If: {
                const Scalar c = eval(e.args[0]);
                if (c.is_error()) return c;
                return eval(c.b ? e.args[1] : e.args[2]);
            }
        }
        return Scalar::fail(Value::error(kNonFinite, 0));  // (unreachable: every form is above)
    }

private:
    Scalar constant(const CExpr& e) const {
        switch (e.type) {
            case Type::Bool: return Scalar::boolean(e.boolean);
            case Type::Number: return Scalar::number(e.number);
            case Type::String: return Scalar::text(e.text, program_.find_string(e.text));
            case Type::Date: return Scalar::date(e.date);
        }
        return {};
    }

    /// An attribute's value in the request; absent is an error naming the attribute.
    Scalar read(const Value& v, std::int32_t attribute) const {
        switch (v.tag) {
            case Value::Tag::Absent: return Scalar::fail(Value::error(kAbsentAttribute, static_cast<std::uint32_t>(attribute)));
            case Value::Tag::Bool: return Scalar::boolean(v.b);
            case Value::Tag::Number: return Scalar::number(v.n);
            case Value::Tag::String: return Scalar::text(rq_.text(program_, v.s), v.s);
            case Value::Tag::Date: return Scalar::date(v.d);
            case Value::Tag::Error: return Scalar::fail(v);
        }
        return {};
    }

    Scalar compare(const CExpr& e) {
        const Scalar l = eval(e.args[0]);
        if (l.is_error()) return l;
        const Scalar r = eval(e.args[1]);
        if (r.is_error()) return r;
        int c = 0;  // the order of l and r: -1, 0 or 1
        switch (e.args[0].type) {
            case Type::Number: c = l.n < r.n ? -1 : l.n > r.n ? 1 : 0; break;
            case Type::Date: c = l.d < r.d ? -1 : l.d > r.d ? 1 : 0; break;
            case Type::String: c = l.s < r.s ? -1 : l.s > r.s ? 1 : 0; break;  // bytewise
            case Type::Bool: c = l.b == r.b ? 0 : (l.b ? 1 : -1); break;        // (== and != only)
        }
        switch (e.form) {
            case Form::Eq: return Scalar::boolean(c == 0);
            case Form::Ne: return Scalar::boolean(c != 0);
            case Form::Lt: return Scalar::boolean(c < 0);
            case Form::Le: return Scalar::boolean(c <= 0);
            case Form::Gt: return Scalar::boolean(c > 0);
            default: return Scalar::boolean(c >= 0);  // Ge
        }
    }

    Scalar arithmetic_of(const CExpr& e) {
        const Scalar l = eval(e.args[0]);
        if (l.is_error()) return l;
        const Scalar r = eval(e.args[1]);
        if (r.is_error()) return r;
        switch (e.form) {
            case Form::Add: return arithmetic(l.n + r.n);
            case Form::Sub: return arithmetic(l.n - r.n);
            case Form::Mul: return arithmetic(l.n * r.n);
            default:
                if (r.n == 0) return Scalar::fail(Value::error(kDivisionByZero, 0));
                return arithmetic(l.n / r.n);
        }
    }

    /// `table[key].column`: a key the table lacks, or a cell its row omits, is an error.
    Scalar lookup(const CExpr& e) {
        const Scalar key = eval(e.args[0]);
        if (key.is_error()) return key;
        const auto& table = set_.tables[e.ref].table;
        const Table::Row* found = row(table, key.s);
        if (!found) {
            const std::uint32_t id = key.sid != Program::npos ? key.sid : program_.find_string(key.s);
            return Scalar::fail(Value::error(kMissingTableKey, static_cast<std::uint32_t>(e.ref), id));
        }
        const auto& cell = found->cells[static_cast<std::size_t>(e.ref2)];
        if (!cell) {
            return Scalar::fail(Value::error(kMissingTableCell, static_cast<std::uint32_t>(e.ref),
                                             static_cast<std::uint32_t>(e.ref2)));
        }
        switch (cell->type) {
            case ScalarType::Number: return Scalar::number(cell->number);
            case ScalarType::Bool: return Scalar::boolean(cell->boolean);
            case ScalarType::Date: return Scalar::date(cell->date);
            default: return Scalar::text(cell->text, program_.find_string(cell->text));
        }
    }

    /// `any`/`all`: the element that gives the deciding value (true for `any`, false for
    /// `all`) decides, whatever errors others give; else the first error; else !deciding.
    Scalar quantify(const CExpr& e) {
        const bool deciding = e.form == Form::Any;
        Scalar out = Scalar::boolean(!deciding);
        for (const Value* el : elements(e.ref)) {
            const Scalar v = bound(e.ref2, el, e.args[0]);
            if (v.is_error()) {
                if (!out.is_error()) out = v;
            } else if (v.b == deciding) {
                return Scalar::boolean(deciding);
            }
        }
        return out;
    }

    /// `count`/`sum`: the first error in any element's condition (or, where it holds, in its
    /// summand) is the aggregate's error (docs/deviations.md 11).
    Scalar total(const CExpr& e) {
        double sum = 0;
        for (const Value* el : elements(e.ref)) {
            const Scalar c = bound(e.ref2, el, e.args[0]);
            if (c.is_error()) return c;
            if (!c.b) continue;
            if (e.form == Form::Count) {
                sum += 1;
                continue;
            }
            const Scalar v = bound(e.ref2, el, e.args[1]);
            if (v.is_error()) return v;
            sum += v.n;
        }
        return arithmetic(sum);
    }

    /// Evaluates `body` with variable `var` bound to the element whose values start at `el`.
    Scalar bound(std::int32_t var, const Value* el, const CExpr& body) {
        if (vars_.size() <= static_cast<std::size_t>(var)) vars_.resize(static_cast<std::size_t>(var) + 1, nullptr);
        const Value* outer = vars_[static_cast<std::size_t>(var)];
        vars_[static_cast<std::size_t>(var)] = el;
        const Scalar v = eval(body);
        vars_[static_cast<std::size_t>(var)] = outer;
        return v;
    }

    const Value* element(std::int32_t var) const { return vars_.at(static_cast<std::size_t>(var)); }

    /// The elements of list `list` in the request (an absent list is empty), each as a
    /// pointer to its first value; an element holds one value per field, in slot order.
    std::vector<const Value*> elements(std::int32_t list) const {
        const auto span = rq_.lists[static_cast<std::size_t>(list)];
        const std::size_t stride = std::max<std::size_t>(1, set_.attrs.lists[static_cast<std::size_t>(list)].fields.size());
        std::vector<const Value*> out;
        for (std::uint32_t i = 0; i < span.count; ++i) out.push_back(rq_.elems.data() + span.begin + i * stride);
        return out;
    }

    /// The row `key` holds on the day decided (a dated row counts on the days its window holds).
    const Table::Row* row(const Table& table, std::string_view key) const {
        for (const auto& r : table.rows)
            if (r.key == key && r.window.holds(day_)) return &r;
        return nullptr;
    }

    const CheckedPolicySet& set_;
    const Program& program_;
    const Request& rq_;
    const std::int32_t day_;  // the decision's as_of: which dated set members and table rows count
    std::vector<std::optional<Scalar>> lets_;  // each let's value, once worked out
    std::vector<const Value*> vars_;
};

Value to_value(const Scalar& s) {
    switch (s.tag) {
        case Value::Tag::Absent: return Value{};
        case Value::Tag::Bool: return Value::boolean(s.b);
        case Value::Tag::Number: return Value::number(s.n);
        case Value::Tag::String: return Value::string(s.sid);
        case Value::Tag::Date: return Value::date(s.d);
        case Value::Tag::Error: return s.error;
    }
    return {};
}

}  // namespace

bool ReferenceEvaluator::active(std::uint32_t rule, const EvalOptions& options) const {
    const CheckedPolicy& policy = set_.policies[static_cast<std::size_t>(set_.rules[rule].policy)];
    if (!options.enforces(static_cast<std::uint32_t>(set_.rules[rule].policy), policy.status)) return false;
    if (policy.effective && options.as_of < *policy.effective) return false;
    if (policy.sunset && options.as_of >= *policy.sunset) return false;
    return true;
}

// LANGUAGE.md, "Decisions": a rule fires when it is active, its `when` holds and its
// `unless` does not; a rule whose `when` (or, where `when` holds, `unless`) is an error is
// in error. Deny if a deny rule fired or (under `on_error: deny`) a rule is in error; else,
// under `default: deny`, deny unless an allow rule fired; else report if a report rule
// fired; else allow.
void ReferenceEvaluator::decide(const Request& request, const EvalOptions& options, Decision& out) const {
    out.clear();
    out.as_of = options.as_of;
    out.time_source = options.time_source;
    out.statuses = options.statuses;
    out.policies = options.policies;
    bool fired_deny = false, fired_report = false, fired_allow = false;
    for (std::uint32_t i = 0; i < set_.rules.size(); ++i) {
        if (!active(i, options)) continue;
        const CheckedRule& rule = set_.rules[i];
        Walk walk(set_, program_, request, options.as_of);
        Scalar outcome = walk.eval(rule.when);
        if (outcome.is_false()) continue;
        if (!outcome.is_error() && rule.unless) {
            const Scalar u = walk.eval(*rule.unless);
            if (u.is_true()) continue;
            if (u.is_error()) outcome = u;
        }
        if (outcome.is_error()) {
            out.errors.push_back(RuleError{i, outcome.error});
            continue;
        }
        out.fired.push_back(i);
        fired_deny |= rule.effect == ast::Effect::Deny;
        fired_report |= rule.effect == ast::Effect::Report;
        fired_allow |= rule.effect == ast::Effect::Allow;
    }
    if (fired_deny || (!out.errors.empty() && set_.manifest.on_error == OnError::Deny))
        out.verdict = Verdict::Deny;
    else if (set_.manifest.default_effect == DefaultEffect::Deny && !fired_allow)
        out.verdict = Verdict::Deny;
    else if (fired_report)
        out.verdict = Verdict::Report;
    else
        out.verdict = Verdict::Allow;
}

Value ReferenceEvaluator::evaluate(const Request& request, const CExpr& e, std::int32_t as_of) const {
    Walk walk(set_, program_, request, as_of);
    return to_value(walk.eval(e));
}

std::string ReferenceEvaluator::message(const Request& request, std::uint32_t rule, std::int32_t as_of) const {
    std::string out;
    for (const auto& piece : set_.rules[rule].because) {
        if (!piece.expr) {
            out += piece.text;
            continue;
        }
        Walk walk(set_, program_, request, as_of);
        const Scalar v = walk.eval(*piece.expr);
        switch (v.tag) {
            case Value::Tag::Bool: out += v.b ? "true" : "false"; break;
            case Value::Tag::Number: append_json_number(out, v.n); break;
            case Value::Tag::String: out += v.s; break;
            case Value::Tag::Date: out += format_date(v.d); break;
            case Value::Tag::Absent: case Value::Tag::Error: out += "<unknown>"; break;
        }
    }
    return out;
}

}  // namespace cordon
