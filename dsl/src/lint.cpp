// The lint pass: warnings about a policy set that checked cleanly but probably does not
// say what its author meant. The list of warnings and their limits is in lint.hpp and
// docs/commands/lint.md.
#include "cordon/dsl/lint.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "cordon/dsl/parse.hpp"

namespace cordon {

namespace {

/// A warning not yet emitted: `owner` is the rule, let or policy it is about, which a
/// `# lint: allow CODE` comment inside that item silences.
struct Pending {
    const char* code;
    Span span;
    Span owner;
    std::string message;
    std::string hint;
};

bool contains(Span outer, Span inner) {
    return outer.file == inner.file && outer.begin <= inner.begin && inner.end <= outer.end;
}

std::string_view text_of(const SourceMap& sources, Span s) {
    if (s.file == 0 || s.file >= sources.size()) return {};
    const std::string& t = sources.text(s.file);
    if (s.begin > s.end || s.end > t.size()) return {};
    return std::string_view(t).substr(s.begin, s.end - s.begin);
}

// ------------------------------------------------------------ `# lint: allow` comments

/// The codes of a `# lint: allow W0005, W0001 optional reason` comment, else none.
std::vector<std::string> allowed_codes(std::string_view c) {
    std::size_t i = 0;
    while (i < c.size() && c[i] == '#') ++i;
    auto skip = [&](bool commas) {
        while (i < c.size() && (c[i] == ' ' || c[i] == '\t' || (commas && c[i] == ','))) ++i;
    };
    auto eat = [&](std::string_view word) {
        if (c.substr(i, word.size()) != word) return false;
        i += word.size();
        return true;
    };
    skip(false);
    if (!eat("lint:")) return {};
    skip(false);
    if (!eat("allow")) return {};
    std::vector<std::string> codes;
    for (;;) {
        skip(true);
        if (i + 5 > c.size() || c[i] != 'W') break;
        bool digits = true;
        for (std::size_t k = 1; k < 5; ++k) digits = digits && std::isdigit(static_cast<unsigned char>(c[i + k]));
        if (!digits || (i + 5 < c.size() && std::isalnum(static_cast<unsigned char>(c[i + 5])))) break;
        codes.emplace_back(c.substr(i, 5));
        i += 5;
    }
    return codes;
}

struct Allowance {
    Span target;  // the innermost rule, let or policy holding the comment
    std::vector<std::string> codes;
};

std::vector<Allowance> allowances(const CheckedPolicySet& set) {
    std::vector<Allowance> out;
    for (const auto& file : set.files) {
        for (const auto& comment : file.comments) {
            auto codes = allowed_codes(comment.text);
            if (codes.empty()) continue;
            std::optional<Span> target;
            auto consider = [&](Span s) {
                if (contains(s, comment.span) && (!target || s.end - s.begin < target->end - target->begin))
                    target = s;
            };
            for (const auto& p : file.policies) {
                consider(p.span);
                for (const auto& r : p.rules) consider(r.span);
                for (const auto& l : p.lets) consider(l.span);
            }
            if (target) out.push_back({*target, std::move(codes)});
        }
    }
    return out;
}

bool allowed(const std::vector<Allowance>& as, const Pending& w) {
    for (const auto& a : as)
        if (contains(a.target, w.owner) && std::find(a.codes.begin(), a.codes.end(), w.code) != a.codes.end())
            return true;
    return false;
}

// ------------------------------------------------------------ W0002: unused lets

/// Adds to `out` the lets of `lets` that `e` names, except names shadowed by `bound`
/// (quantifier variables and let parameters).
void let_refs(const ast::Expr& e, const std::set<std::string>& lets, std::vector<std::string>& bound,
              std::set<std::string>& out) {
    using ast::Op;
    switch (e.op) {
        case Op::Name:
            if (lets.count(e.text) && std::find(bound.begin(), bound.end(), e.text) == bound.end())
                out.insert(e.text);
            return;
        case Op::Call:
            if (lets.count(e.text)) out.insert(e.text);
            break;
        case Op::Any: case Op::All: case Op::Count: case Op::Sum:
            if (!e.args.empty()) let_refs(e.args[0], lets, bound, out);
            bound.push_back(e.text);
            for (std::size_t i = 1; i < e.args.size(); ++i) let_refs(e.args[i], lets, bound, out);
            bound.pop_back();
            return;
        default: break;
    }
    for (const auto& a : e.args) let_refs(a, lets, bound, out);
}

void unused_lets(const ast::Policy& p, std::vector<Pending>& out) {
    if (p.lets.empty()) return;
    std::set<std::string> names;
    for (const auto& l : p.lets) names.insert(l.name);
    std::vector<std::string> bound;
    std::set<std::string> reached;
    for (const auto& r : p.rules) {
        let_refs(r.when, names, bound, reached);
        if (r.unless) let_refs(*r.unless, names, bound, reached);
        for (const auto& piece : r.because.pieces)
            if (piece.expr) let_refs(*piece.expr, names, bound, reached);
    }
    std::map<std::string, std::set<std::string>> uses;  // let -> lets it names
    for (const auto& l : p.lets) {
        std::vector<std::string> params(l.params.begin(), l.params.end());
        let_refs(l.body, names, params, uses[l.name]);
    }
    std::vector<std::string> work(reached.begin(), reached.end());
    while (!work.empty()) {
        const std::string n = work.back();
        work.pop_back();
        for (const auto& m : uses[n])
            if (reached.insert(m).second) work.push_back(m);
    }
    for (const auto& l : p.lets) {
        if (reached.count(l.name)) continue;
        std::vector<std::string> users;
        for (const auto& [user, named] : uses)
            if (user != l.name && named.count(l.name)) users.push_back("`" + user + "`");
        const std::string what = l.params.empty() ? "let" : "function";
        std::string message =
            users.empty() ? fmt::format("{} `{}` is never used", what, l.name)
                          : fmt::format("{} `{}` is used only by unused let{} {}", what, l.name,
                                        users.size() == 1 ? "" : "s", fmt::join(users, ", "));
        out.push_back({diag::kUnusedLet, l.name_span, l.span, std::move(message),
                       fmt::format("remove it, or use it in a rule of policy {}", p.name)});
    }
}

// ------------------------------------------------------------ W0005: unguarded optional reads

/// An attribute read, as `has` tests it: (variable depth, attribute id) for a
/// quantifier element's field, (-1, attribute id) for a root attribute.
using Key = std::pair<int, int>;
using Facts = std::set<Key>;

Key key_of(const CExpr& e) { return e.form == Form::Elem ? Key{e.ref, e.ref2} : Key{-1, e.ref}; }

Facts unite(Facts a, const Facts& b) {
    a.insert(b.begin(), b.end());
    return a;
}
Facts intersect(const Facts& a, const Facts& b) {
    Facts r;
    for (const auto& k : a)
        if (b.count(k)) r.insert(k);
    return r;
}

struct Read {
    Key key;
    Span span;
    std::string text;  // as written: "workload.training_ops", "p.identity_verified"
    int let = -1;      // the shared let whose body holds the read, or -1
};

/// Which optional reads can make an expression an evaluation error. The engine uses
/// Kleene logic (evaluate.cpp): `false and error` and `error and false` are false, `true or
/// error` is true, an `if` evaluates only the branch it takes, `unless` runs only when
/// `when` held, and `sum`'s summand only where its condition held. So a read of X is
/// harmless wherever a sibling or an enclosing condition is certainly false (resp. true)
/// when X is absent — `has X and ...`, `... and has X`, `not has X or ...`,
/// `if has X then ... else ...` — and shared lets are looked through for such guards.
class GuardAnalysis {
public:
    GuardAnalysis(const CheckedPolicySet& set) : set_(set) {}

    /// Keys whose absence makes `e` certainly `!value`: when `e` is `value`, they are
    /// present. `and` and `or` swap roles between the two polarities.
    Facts present_if(const CExpr& e, bool value) {
        switch (e.form) {
            case Form::Has: return value ? Facts{key_of(e.args[0])} : Facts{};
            case Form::And:
            case Form::Or: {
                Facts a = present_if(e.args[0], value), b = present_if(e.args[1], value);
                return (e.form == Form::And) == value ? unite(std::move(a), b) : intersect(a, b);
            }
            case Form::Not: return present_if(e.args[0], !value);
            case Form::LetRef: return value ? let_facts(e.ref).first : let_facts(e.ref).second;
            case Form::If: return branch_facts(e, value);
            default: return {};
        }
    }
    Facts present_if_true(const CExpr& e) { return present_if(e, true); }
    Facts present_if_false(const CExpr& e) { return present_if(e, false); }

    /// Appends the optional reads of `e` that no guard in `g` or inside `e` covers.
    void walk(const CExpr& e, const Facts& g, std::vector<Read>& out, int let) {
        switch (e.form) {
            case Form::Attr:
            case Form::Elem: {
                const int id = e.form == Form::Attr ? e.ref : e.ref2;
                if (id >= 0 && static_cast<std::size_t>(id) < set_.attrs.attrs.size() &&
                    set_.attrs.attrs[id].optional && !g.count(key_of(e)))
                    out.push_back({key_of(e), e.span, e.text, let});
                return;
            }
            case Form::Has: return;  // testing presence is not reading
            case Form::LetRef:
                for (const auto& r : let_reads(e.ref))
                    if (!g.count(r.key)) out.push_back(r);
                return;
            case Form::And:
                walk(e.args[0], unite(g, present_if_true(e.args[1])), out, let);
                walk(e.args[1], unite(g, present_if_true(e.args[0])), out, let);
                return;
            case Form::Or:
                walk(e.args[0], unite(g, present_if_false(e.args[1])), out, let);
                walk(e.args[1], unite(g, present_if_false(e.args[0])), out, let);
                return;
            case Form::If:
                walk(e.args[0], g, out, let);
                walk(e.args[1], unite(g, present_if_true(e.args[0])), out, let);
                walk(e.args[2], unite(g, present_if_false(e.args[0])), out, let);
                return;
            case Form::Sum:
                walk(e.args[0], g, out, let);
                if (e.args.size() > 1) walk(e.args[1], unite(g, present_if_true(e.args[0])), out, let);
                return;
            default:
                for (const auto& a : e.args) walk(a, g, out, let);
        }
    }

private:
    Facts branch_facts(const CExpr& e, bool when_true) {
        auto f = [&](const CExpr& x) { return present_if(x, when_true); };
        const Facts c_true = present_if_true(e.args[0]), c_false = present_if_false(e.args[0]);
        const Facts a = f(e.args[1]), b = f(e.args[2]);
        // Both branches, or the condition rules out the branch that would not give it.
        return unite(unite(intersect(a, b), intersect(c_true, b)), intersect(c_false, a));
    }
    const std::pair<Facts, Facts>& let_facts(int id) {
        if (auto it = facts_.find(id); it != facts_.end()) return it->second;
        std::pair<Facts, Facts> f;
        if (id >= 0 && static_cast<std::size_t>(id) < set_.lets.size())
            f = {present_if_true(set_.lets[id].body), present_if_false(set_.lets[id].body)};
        return facts_[id] = std::move(f);
    }
    const std::vector<Read>& let_reads(int id) {
        if (auto it = reads_.find(id); it != reads_.end()) return it->second;
        std::vector<Read> r;
        if (id >= 0 && static_cast<std::size_t>(id) < set_.lets.size()) walk(set_.lets[id].body, {}, r, id);
        return reads_[id] = std::move(r);
    }

    const CheckedPolicySet& set_;
    std::map<int, std::pair<Facts, Facts>> facts_;
    std::map<int, std::vector<Read>> reads_;
};

const char* fail_closed(const CheckedPolicySet& set) {
    return set.manifest.on_error == OnError::Deny ? "fails closed (deny)" : "is an error (skipped, on_error: skip)";
}

/// The first attribute path in `e` spelled `text` (pre-order, so leftmost first).
std::optional<Span> find_mention(const ast::Expr& e, std::string_view text, const SourceMap& sources) {
    if ((e.op == ast::Op::Name || e.op == ast::Op::Field) && text_of(sources, e.span) == text) return e.span;
    for (const auto& a : e.args)
        if (auto s = find_mention(a, text, sources)) return s;
    return std::nullopt;
}

/// Where to put the caret for a rule's read: the read itself, unless it lies in the body
/// of a function the rule calls (parameters are inlined and keep the body's span); then
/// the rule's own mention of the attribute, the argument it passed.
Span rule_read_span(const CheckedRule& rule, const Read& r, const std::map<std::string, const ast::Rule*>& ast_rules,
                    const SourceMap& sources) {
    if (contains(rule.span, r.span)) return r.span;
    const auto it = ast_rules.find(rule.id);
    if (it == ast_rules.end()) return r.span;
    if (auto s = find_mention(it->second->when, r.text, sources)) return *s;
    if (it->second->unless)
        if (auto s = find_mention(*it->second->unless, r.text, sources)) return *s;
    return r.span;
}

void unguarded_reads(const CheckedPolicySet& set, const SourceMap& sources, std::vector<Pending>& out) {
    std::map<std::string, const ast::Rule*> ast_rules;
    for (const auto& file : set.files)
        for (const auto& p : file.policies)
            for (const auto& r : p.rules) ast_rules.emplace(p.name + "." + r.name, &r);
    GuardAnalysis g(set);
    std::set<std::pair<int, int>> let_done;  // (let id, attribute id)
    for (const auto& rule : set.rules) {
        std::vector<Read> reads;
        g.walk(rule.when, {}, reads, -1);
        if (rule.unless) g.walk(*rule.unless, g.present_if_true(rule.when), reads, -1);
        std::stable_sort(reads.begin(), reads.end(), [](const Read& a, const Read& b) {
            return std::tie(a.span.file, a.span.begin) < std::tie(b.span.file, b.span.begin);
        });
        std::set<int> rule_done;  // attribute ids
        for (const auto& r : reads) {
            const auto& attr = set.attrs.attrs[r.key.second];
            if (r.let < 0) {
                if (!rule_done.insert(r.key.second).second) continue;
                out.push_back({diag::kUnguardedOptional, rule_read_span(rule, r, ast_rules, sources), rule.span,
                               fmt::format("rule `{}` reads optional attribute `{}` without a `has` guard", rule.id,
                                           attr.path),
                               fmt::format("write `has {} and ...`, or the rule {} when {} is absent", r.text,
                                           fail_closed(set), r.text)});
            } else {
                if (!let_done.insert({r.let, r.key.second}).second) continue;
                const auto& let = set.lets[r.let];
                out.push_back({diag::kUnguardedOptional, r.span, let.span,
                               fmt::format("let `{}` reads optional attribute `{}` without a `has` guard, and rule "
                                           "`{}` uses it unguarded",
                                           let.id, attr.path, rule.id),
                               fmt::format("write `has {} and ...` in the let or where it is used, or rule `{}` {} "
                                           "when {} is absent",
                                           r.text, rule.id, fail_closed(set), r.text)});
            }
        }
    }
}

// ------------------------------------------------------------ W0006: thresholds

struct Threshold {
    double value;
    Span span;   // the literal
    Span owner;  // its rule or let
};

bool is_comparison(Form f) {
    return f == Form::Eq || f == Form::Ne || f == Form::Lt || f == Form::Le || f == Form::Gt || f == Form::Ge;
}

void collect_thresholds(const CExpr& e, Span owner, std::map<int, std::vector<Threshold>>& out) {
    if (is_comparison(e.form) && e.args.size() == 2 && e.args[0].type == Type::Number) {
        for (int side = 0; side < 2; ++side) {
            const CExpr& a = e.args[side];
            const CExpr& k = e.args[1 - side];
            if ((a.form == Form::Attr || a.form == Form::Elem) && k.form == Form::Const && k.number > 0 &&
                std::isfinite(k.number))
                out[a.form == Form::Attr ? a.ref : a.ref2].push_back({k.number, k.span, owner});
        }
    }
    for (const auto& a : e.args) collect_thresholds(a, owner, out);
}

/// max/min of two positive numbers is 10 or 100, up to rounding.
bool power_of_ten_apart(double a, double b) {
    const double r = std::max(a, b) / std::min(a, b);
    return std::fabs(r - 10) < 1e-9 * 10 || std::fabs(r - 100) < 1e-9 * 100;
}

void odd_thresholds(const CheckedPolicySet& set, const SourceMap& sources, std::vector<Pending>& out) {
    std::map<int, std::vector<Threshold>> by_attr;
    for (const auto& r : set.rules) {
        collect_thresholds(r.when, r.span, by_attr);
        if (r.unless) collect_thresholds(*r.unless, r.span, by_attr);
    }
    for (const auto& l : set.lets) collect_thresholds(l.body, l.span, by_attr);
    for (auto& [attr, uses] : by_attr) {
        // An inlined function body appears once per call: count each literal once.
        std::sort(uses.begin(), uses.end(), [](const Threshold& a, const Threshold& b) {
            return std::tie(a.span.file, a.span.begin) < std::tie(b.span.file, b.span.begin);
        });
        uses.erase(std::unique(uses.begin(), uses.end(),
                               [](const Threshold& a, const Threshold& b) {
                                   return a.span.file == b.span.file && a.span.begin == b.span.begin;
                               }),
                   uses.end());
        std::map<double, std::vector<const Threshold*>> by_value;
        for (const auto& u : uses) by_value[u.value].push_back(&u);
        if (by_value.size() < 2) continue;
        for (const auto& [v, mine] : by_value) {
            bool isolated = true;
            const std::vector<const Threshold*>* usual = nullptr;
            for (const auto& [w, theirs] : by_value) {
                if (w == v) continue;
                if (std::max(v, w) / std::min(v, w) < 10 * (1 - 1e-9)) isolated = false;
                if (power_of_ten_apart(v, w) && theirs.size() > mine.size() &&
                    (!usual || theirs.size() > usual->size()))
                    usual = &theirs;
            }
            if (!isolated || !usual) continue;
            const auto& path = set.attrs.attrs[attr].path;
            const auto theirs_text = std::string(text_of(sources, usual->front()->span));
            for (const auto* t : mine) {
                const auto mine_text = std::string(text_of(sources, t->span));
                out.push_back({diag::kThresholdMagnitude, t->span, t->owner,
                               fmt::format("`{}` is compared with {} here, but with {} in {} other place{}: a "
                                           "factor of {} apart, a likely typo",
                                           path, mine_text, theirs_text, usual->size(),
                                           usual->size() == 1 ? "" : "s",
                                           std::max(v, usual->front()->value) / std::min(v, usual->front()->value) > 50
                                               ? 100 : 10),
                               fmt::format("check {} against the legal text; if it is right, add `# lint: allow "
                                           "W0006` inside this rule",
                                           mine_text)});
            }
        }
    }
}

// ------------------------------------------------------------ per-policy warnings

/// W0004's horizon: evaluation dates outside it are not realistic.
constexpr int kHorizonFrom[3] = {1990, 1, 1};
constexpr int kHorizonTo[3] = {2200, 1, 1};

void policy_warnings(const CheckedPolicySet& set, const ast::Policy& p, std::vector<Pending>& out) {
    for (const auto& r : p.rules) {
        const std::string id = p.name + "." + r.name;
        const bool blank = r.cite && r.cite->find_first_not_of(" \t\r\n") == std::string::npos;
        if (!r.cite || blank)
            out.push_back({diag::kNoCite, r.name_span, r.span,
                           fmt::format("rule `{}` {}", id, blank ? "has an empty `cite`" : "has no `cite`"),
                           "add `cite \"...\"` naming the provision the rule implements; decisions quote it"});
        if (r.effect == ast::Effect::Allow && set.manifest.default_effect == DefaultEffect::Allow)
            out.push_back({diag::kAllowUnderDefaultAllow, r.name_span, r.span,
                           fmt::format("allow rule `{}` can never change a decision: the manifest says `default: "
                                       "allow`",
                                       id),
                           "allow rules only matter under `default: deny`; write exceptions to a deny rule as "
                           "`unless`, or remove this rule"});
    }
    const auto from = *days_from_civil(kHorizonFrom[0], kHorizonFrom[1], kHorizonFrom[2]);
    const auto to = *days_from_civil(kHorizonTo[0], kHorizonTo[1], kHorizonTo[2]);
    if (p.effective && p.sunset && p.effective->day >= p.sunset->day) {
        out.push_back({diag::kEffectiveAfterSunset, p.sunset->span, p.span,
                       fmt::format("policy `{}` takes effect on {}, {} its sunset {}: its rules can never be active",
                                   p.name, format_date(p.effective->day),
                                   p.effective->day == p.sunset->day ? "the day of" : "after",
                                   format_date(p.sunset->day)),
                       "rules are active from `effective` (inclusive) until `sunset` (exclusive); check both dates"});
    } else if (p.sunset && p.sunset->day <= from) {
        out.push_back({diag::kNeverActive, p.sunset->span, p.span,
                       fmt::format("policy `{}` ends on {}, before {}: it is never active on a realistic date", p.name,
                                   format_date(p.sunset->day), format_date(from)),
                       "check the year of `sunset`"});
    } else if (p.effective && p.effective->day >= to) {
        out.push_back({diag::kNeverActive, p.effective->span, p.span,
                       fmt::format("policy `{}` takes effect on {}, after {}: it is never active on a realistic date",
                                   p.name, format_date(p.effective->day), format_date(to)),
                       "check the year of `effective`; a policy with no known start date has no `effective`"});
    }
    unused_lets(p, out);
}

/// W0008's code (beside its only user; diagnostic.hpp lists the others).
constexpr const char* kNothingEnforced = "W0008";

/// W0008: `enforce: []` leaves no rule on and decides every request by the default, as if
/// there were no rules. (A list whose statuses no policy has is not flagged: a draft set,
/// every policy `draft`, is tested with `--include draft` while `enforce` stays in_force.)
void nothing_enforced(const CheckedPolicySet& set, std::vector<Pending>& out) {
    if (!set.manifest.enforce.empty()) return;
    out.push_back({kNothingEnforced, set.manifest.span, set.manifest.span,
                   "cordon.yaml: `enforce: []` switches every rule off: every request gets the default",
                   "write enforce: [in_force] (the default), or give the policies the status to enforce"});
}

}  // namespace

void lint_policy_set(const CheckedPolicySet& set, const SourceMap& sources, Diagnostics& diags) {
    std::vector<Pending> pending;
    for (const auto& file : set.files)
        for (const auto& p : file.policies) policy_warnings(set, p, pending);
    unguarded_reads(set, sources, pending);
    nothing_enforced(set, pending);
    odd_thresholds(set, sources, pending);
    const auto allow = allowances(set);
    for (auto& w : pending)
        if (!allowed(allow, w)) diags.warning(w.code, w.span, std::move(w.message), std::move(w.hint));
    diags.sort_and_dedupe();
}

}  // namespace cordon
