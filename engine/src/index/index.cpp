// Rule indexing. A conjunct that holds only for a few values of a root attribute is a
// pin (docs/engine.md, "Terms the code uses"): `country in D5`, `chip == "A100"`, `hq == "CN" or region == "CN"` (one pin of two
// alternatives; an alternative may be guarded, `has parent and parent in D5`, and is then
// false rather than failed when absent), `not customer.identity_verified` (a bool). `any p in intermediaries:
// p.country in D5` pins the list to some element's country being in D5 (the conjunct
// itself); `sum(o in customer.owners where o.country in D5: o.share) >= 0.25` pins it too
// (a necessary condition: with no such owner the sum is 0); any other `any p in L: ...`
// pins the list to having elements (necessary too). Each rule is filed under its most
// selective pin, or combination of two or three pins on different attributes, every
// combination of their values; a request then looks up its own values once per key.
// Estimated share of requests a pin lets through: its values over the attribute's domain
// (~250 for a country, the enum's size, 2 for a bool or a list's being empty, 3 for some
// element in a set, else the values the rules name); a combination's share is the
// product. A rule whose best key lets half or more through is visited for every request,
// unless it requires `has x`: then it is visited when x is given.
#include "index/index.hpp"

#include <algorithm>
#include <bit>
#include <cassert>
#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace cordon {
namespace {

using Column = Program::RuleIndex::Column;

struct Alt {
    Column::Kind kind = Column::Kind::String;
    std::int32_t slot = -1;  // root slot, or list (NonEmpty, SomeInSet)
    std::int32_t attr = -1;  // attribute id (String)
    std::int32_t elem = -1;  // SomeInSet: the element field's slot, and the set
    std::int32_t set = -1;
    std::vector<std::uint32_t> values;  // codes
    /// `has x and x in S` (String): false, not failed, when x is absent, so a request
    /// without x need not visit the rule for this alternative's sake.
    bool guarded = false;
};
/// A pin: holds when any alternative holds. `exact`: the conjunct holds whenever the
/// request's values are the pin's (so a rule found by its key may skip it).
struct Pin {
    std::vector<Alt> alts;
    bool exact = true;
};

// `exact` is cleared when the pin stands for a dated set (Program::set_epochs): it is then
// filed under the members of every window, and the conjunct must still be evaluated.
std::optional<std::vector<Alt>> string_pin(const Program& p, std::int32_t index, bool& exact) {
    const Node& n = p.nodes[index];
    Alt alt;
    if (n.op == NodeOp::AttrInSet) {
        alt.slot = n.slot();
        alt.attr = static_cast<std::int32_t>(n.attribute());
        const auto set = n.fused_set();
        if (p.set_varies(set)) exact = false;
        const auto members = p.set_union(set);
        for (std::uint32_t w = 0; w < members.size(); ++w)
            for (std::uint64_t bits = members[w]; bits; bits &= bits - 1)
                alt.values.push_back(w * 64 + static_cast<std::uint32_t>(__builtin_ctzll(bits)));
        return std::vector<Alt>{std::move(alt)};
    }
    if (n.op == NodeOp::AttrEqStr && n.comparison() == NodeOp::Eq) {
        alt.slot = n.slot();
        alt.attr = static_cast<std::int32_t>(n.attribute());
        alt.values.push_back(n.string_id());
        return std::vector<Alt>{std::move(alt)};
    }
    if (n.op == NodeOp::LetRef) return string_pin(p, p.lets[n.let()], exact);  // a let's value pins as its body does
    // `has x and x in S` (e.g. the second half of `hq in D5 or (has parent and parent in D5)`).
    if (n.op == NodeOp::And) {  // (every And has two kids: program_invariants_test)
        const Node& guard = p.nodes[p.kid(n, 0)];
        if (guard.op != NodeOp::Has || guard.kid_count() != 1) return std::nullopt;
        const Node& x = p.nodes[p.kid(guard, 0)];
        if (x.op != NodeOp::Attr) return std::nullopt;
        auto alts = string_pin(p, p.kid(n, 1), exact);
        if (!alts || alts->size() != 1 || (*alts)[0].slot != x.slot()) return std::nullopt;
        (*alts)[0].guarded = true;
        return alts;
    }
    if (n.op == NodeOp::Or) {
        auto l = string_pin(p, p.kid(n, 0), exact);
        auto r = string_pin(p, p.kid(n, 1), exact);
        if (!l || !r) return std::nullopt;
        for (auto& ra : *r) {
            auto same = std::find_if(l->begin(), l->end(), [&](const Alt& a) { return a.slot == ra.slot; });
            if (same == l->end()) {
                l->push_back(std::move(ra));
                continue;
            }
            same->guarded = same->guarded && ra.guarded;  // absent fails the other side
            same->values.insert(same->values.end(), ra.values.begin(), ra.values.end());
            std::sort(same->values.begin(), same->values.end());
            same->values.erase(std::unique(same->values.begin(), same->values.end()), same->values.end());
        }
        return l;
    }
    return std::nullopt;
}

// The node a let reference stands for.
const Node& resolved(const Program& p, std::int32_t index) {
    const Node* n = &p.nodes[index];
    while (n->op == NodeOp::LetRef) n = &p.nodes[p.lets[n->let()]];
    return *n;
}

std::optional<Pin> pin_of(const Program& p, const PlanStep& step) {
    const Node& n = resolved(p, step.node);
    auto one = [](Column::Kind kind, std::int32_t slot, std::uint32_t code, bool exact) {
        Alt alt;
        alt.kind = kind;
        alt.slot = slot;
        alt.values.push_back(code);
        return Pin{{std::move(alt)}, exact};
    };
    if (step.negate) {  // `not x`: x false
        if (n.op == NodeOp::Attr && n.type == Type::Bool) return one(Column::Kind::Bool, n.slot(), 0, true);
        return std::nullopt;
    }
    bool exact = true;
    if (auto alts = string_pin(p, step.node, exact)) return Pin{std::move(*alts), exact};
    if ((n.op == NodeOp::Attr && n.type == Type::Bool) || n.op == NodeOp::AttrTrue)
        return one(Column::Kind::Bool, n.slot(), 1, true);
    // `any p in L: p.f in S`: some element's f is in S (the conjunct itself).
    auto some_in_set = [&](const Node& quantifier, const Node& body, bool exact) {
        Pin pin = one(Column::Kind::SomeInSet, quantifier.list(), 1, exact && !p.set_varies(body.fused_set()));
        pin.alts[0].elem = body.slot();
        pin.alts[0].set = static_cast<std::int32_t>(body.fused_set());
        return pin;
    };
    auto in_set_over = [&](const Node& quantifier) {  // the quantifier's first kid: `x.f in S` on its variable
        const Node& body = p.nodes[p.kid(quantifier, 0)];
        return body.op == NodeOp::ElemInSet && body.variable() == quantifier.variable() ? &body : nullptr;
    };
    if (n.op == NodeOp::Any) {
        if (const Node* body = in_set_over(n)) return some_in_set(n, *body, true);
        return one(Column::Kind::NonEmpty, n.list(), 1, false);  // false for an empty list
    }
    // `sum(o in L where o.f in S: ...) >= c` (or `count`, or `>`) with a positive bound:
    // false unless some element's f is in S (else the total is 0).
    if (n.op == NodeOp::Ge || n.op == NodeOp::Gt) {  // (a comparison: two kids; a number, as `positive` requires)
        const Node& bound = p.nodes[p.kid(n, 1)];
        const Node& total = resolved(p, p.kid(n, 0));
        const bool positive = bound.op == NodeOp::Const && bound.constant().tag == Value::Tag::Number &&
                              (n.op == NodeOp::Ge ? bound.constant().n > 0 : bound.constant().n >= 0);
        if (positive && (total.op == NodeOp::Sum || total.op == NodeOp::Count))
            if (const Node* cond = in_set_over(total)) return some_in_set(total, *cond, false);
    }
    return std::nullopt;
}

constexpr std::size_t kMaxEntriesPerRule = 256;  // a key's value combinations per rule

class Indexer {
public:
    Indexer(const CheckedPolicySet& set, Program& p) : set_(set), p_(p) {}

    void run() {
        collect();
        for (std::uint32_t rule = 0; rule < p_.rules.size(); ++rule)
            if (p_.rules[rule].twin_of < 0 && p_.rules[rule].family_of < 0) file(rule);  // decided by its head, its leader
        for (auto& [columns, entries] : keyed_) build(columns, entries);
        for (auto& [slot, rules] : present_) p_.when_present.push_back({slot, rule_words(rules)});
    }

private:
    using ColumnId = std::tuple<Column::Kind, std::int32_t, std::int32_t, std::int32_t>;  // kind, slot, elem, set

    // Every rule's usable pins, the slots it tests with `has`, and each slot's observed domain.
    void collect() {
        pins_.resize(p_.rules.size());
        pin_steps_.resize(p_.rules.size());
        guarded_.resize(p_.rules.size());
        for (std::uint32_t rule = 0; rule < p_.rules.size(); ++rule) {
            const auto& pr = p_.rules[rule];
            for (std::uint32_t step = 0; step < pr.plan_count; ++step) {
                const PlanStep& ps = p_.plan[pr.plan_first + step];
                const Node& n = p_.nodes[ps.node];
                if (!ps.negate && n.op == NodeOp::Has) {
                    const Node& target = p_.nodes[p_.kid(n, 0)];
                    assert(target.op == NodeOp::Attr);  // a rule's own conjunct: no quantifier variable is bound
                    guarded_[rule].push_back(target.slot());
                }
                if (!ps.negate && n.op == NodeOp::AttrTrue) guarded_[rule].push_back(n.slot());
                auto pin = pin_of(p_, ps);
                if (!pin) continue;
                bool usable = pin->alts.size() <= 4;
                for (const auto& alt : pin->alts)
                    usable = usable && !alt.values.empty() && alt.values.size() <= 64 &&
                             alt.values.back() < Program::RuleIndex::kMaxCode;  // (values sorted)
                if (!usable) continue;
                for (const auto& alt : pin->alts)
                    if (alt.kind == Column::Kind::String) {
                        observed_[alt.slot].insert(alt.values.begin(), alt.values.end());
                        attr_of_slot_[alt.slot] = alt.attr;
                    }
                pins_[rule].push_back(std::move(*pin));
                pin_steps_[rule].push_back(step);
            }
        }
    }

    // How many values a column's attribute is taken to have: a country ~250 (ISO 3166), an
    // enum its values, another string the values the rules name (+1: values none names);
    // a bool or a list's being empty 2; "some element in S" 3 (rarely true, like `any`).
    double domain(Column::Kind kind, std::int32_t slot) {
        if (kind == Column::Kind::SomeInSet) return 3;
        if (kind != Column::Kind::String) return 2;
        const auto& attr = set_.attrs.attrs[attr_of_slot_.at(slot)];
        if (attr.type == ScalarType::Enum) return static_cast<double>(attr.enum_values.size());
        const double named = static_cast<double>(observed_[slot].size()) + 1;
        return attr.type == ScalarType::Country ? std::max(named, 250.0) : named;
    }

    double share(const Pin& pin) {
        double s = 0;
        for (const auto& alt : pin.alts) s += static_cast<double>(alt.values.size()) / domain(alt.kind, alt.slot);
        return std::min(s, 1.0);
    }

    static std::size_t entries(const Pin& pin) {
        std::size_t n = 0;
        for (const auto& alt : pin.alts) n += alt.values.size();
        return n;
    }

    // The column an alternative is filed under. (A root slot holds one attribute, so a
    // String and a Bool alternative never share a slot; a list's slot numbers lists.)
    static ColumnId column_id(const Alt& x) { return ColumnId{x.kind, x.slot, x.elem, x.set}; }

    // Two pins may be combined in one key when no column is read by both: a key's columns
    // are then distinct.
    static bool disjoint(const Pin& a, const Pin& b) {
        for (const auto& x : a.alts)
            for (const auto& y : b.alts)
                if (column_id(x) == column_id(y)) return false;
        return true;
    }

    // The rule's most selective combination of one to three pins (indices into its pins).
    std::vector<std::size_t> best_key(std::uint32_t rule) {
        const auto& pins = pins_[rule];
        std::vector<std::size_t> best_key;
        double best = 0.5;  // a key letting half the requests through or more is not worth it
        auto consider = [&](std::vector<std::size_t> key) {
            double s = 1;
            std::size_t n = 1;
            for (std::size_t k = 0; k < key.size(); ++k) {
                for (std::size_t l = 0; l < k; ++l)
                    if (!disjoint(pins[key[k]], pins[key[l]])) return;
                s *= share(pins[key[k]]);
                n *= entries(pins[key[k]]);
            }
            if (n > kMaxEntriesPerRule || !(s < best)) return;
            best = s;
            best_key = std::move(key);
        };
        for (std::size_t i = 0; i < pins.size(); ++i) {
            consider({i});
            for (std::size_t j = i + 1; j < pins.size(); ++j) {
                consider({i, j});
                for (std::size_t k = j + 1; k < pins.size(); ++k) consider({i, j, k});
            }
        }
        return best_key;
    }

    void file(std::uint32_t rule) {
        const auto& pins = pins_[rule];
        const auto key = best_key(rule);
        const auto& g = guarded_[rule];
        if (key.empty()) {
            if (g.empty()) p_.unindexed.push_back(rule);
            else present_[g.front()].push_back(rule);
            return;
        }
        pin_first(rule, key);
        // Every choice of one alternative per pin is a set of columns; file the rule under
        // every combination of their values.
        std::vector<const Alt*> chosen(key.size());
        auto each = [&](auto&& self, std::size_t k) -> void {
            if (k == key.size()) {
                std::vector<const Alt*> cols = chosen;
                auto id = [](const Alt* x) { return column_id(*x); };
                std::ranges::sort(cols, std::ranges::less{}, id);  // (the ids are distinct: disjoint pins)
                std::vector<ColumnId> ids;
                for (const Alt* c : cols) ids.push_back(id(c));
                auto& out = keyed_[ids];
                auto values = [&](auto&& rec, std::size_t c, std::uint64_t packed) -> void {
                    if (c == cols.size()) {
                        out.push_back({packed, rule});
                        return;
                    }
                    for (const auto v : cols[c]->values) rec(rec, c + 1, packed | Program::RuleIndex::key_part(c, v));
                };
                values(values, 0, 0);
                return;
            }
            for (const auto& alt : pins[key[k]].alts) {
                if (alt.guarded) guarded_alt_[rule].insert(alt.slot);
                chosen[k] = &alt;
                self(self, k + 1);
            }
        };
        each(each, 0);
    }

    // Moves the key's exact conjuncts, and the `has` tests they imply, to the front of the
    // rule's plan (the order of a plan's conjuncts decides nothing but cost: errors go by
    // their order as written); a rule found by its key starts after them.
    void pin_first(std::uint32_t rule, const std::vector<std::size_t>& key) {
        auto& r = p_.rules[rule];
        auto* plan = p_.plan.data() + r.plan_first;
        std::vector<PlanStep> steps(plan, plan + r.plan_count), ordered;
        std::vector<bool> moved(steps.size(), false);
        std::vector<std::int32_t> given;  // slots a found rule's key says are given
        for (const auto k : key) {
            const Pin& pin = pins_[rule][k];
            if (!pin.exact) continue;
            const auto step = pin_steps_[rule][k];
            ordered.push_back(steps[step]);
            moved[step] = true;
            const auto kind = pin.alts[0].kind;
            if (pin.alts.size() == 1 && (kind == Column::Kind::String || kind == Column::Kind::Bool)) given.push_back(pin.alts[0].slot);
        }
        // `has x` for such a slot holds too: skipped with the pins.
        for (std::size_t k = 0; k < steps.size(); ++k) {
            const Node& n = p_.nodes[steps[k].node];
            if (moved[k] || steps[k].negate || n.op != NodeOp::Has) continue;
            const Node& x = p_.nodes[p_.kid(n, 0)];
            if (x.op == NodeOp::Attr && std::find(given.begin(), given.end(), x.slot()) != given.end()) {
                ordered.push_back(steps[k]);
                moved[k] = true;
            }
        }
        r.plan_pinned = static_cast<std::uint32_t>(ordered.size());
        for (std::size_t k = 0; k < steps.size(); ++k)
            if (!moved[k]) ordered.push_back(steps[k]);
        std::copy(ordered.begin(), ordered.end(), plan);
    }

    // A key's columns in the order a request is tested against them: the strings first
    // (see Evaluator::decide), each group the most selective first (the share of values
    // some rule is filed under: "US" is rarely one), a scan of a list last. The entries'
    // packed keys follow.
    void order_columns(Program::RuleIndex& ix, std::vector<std::pair<std::uint64_t, std::uint32_t>>& entries) {
        auto pass = [&](const Column& c) {
            double values = 0;
            for (const auto w : c.values) values += __builtin_popcountll(w);
            switch (c.kind) {
                case Column::Kind::String: return values / domain(c.kind, c.slot);
                case Column::Kind::SomeInSet: return 3.0;  // (a loop: last)
                default: return __builtin_popcount(c.codes) / domain(c.kind, c.slot);
            }
        };
        std::vector<std::size_t> order(ix.columns.size());
        for (std::size_t c = 0; c < order.size(); ++c) order[c] = c;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
            const bool sx = ix.columns[x].kind == Column::Kind::String, sy = ix.columns[y].kind == Column::Kind::String;
            if (sx != sy) return sx;
            return pass(ix.columns[x]) < pass(ix.columns[y]);
        });
        constexpr auto bits = Program::RuleIndex::kCodeBits;
        for (auto& [key, rule] : entries) {
            std::uint64_t packed = 0;
            for (std::size_t c = 0; c < order.size(); ++c)
                packed |= Program::RuleIndex::key_part(c, static_cast<std::uint32_t>((key >> (bits * order[c])) & Program::RuleIndex::kMaxCode));
            key = packed;
        }
        std::sort(entries.begin(), entries.end());
        std::vector<Column> columns;
        for (const auto c : order) columns.push_back(std::move(ix.columns[c]));
        ix.columns = std::move(columns);
    }

    void build(const std::vector<ColumnId>& ids, std::vector<std::pair<std::uint64_t, std::uint32_t>>& entries) {
        std::sort(entries.begin(), entries.end());
        entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
        Program::RuleIndex ix;
        const std::size_t words = (p_.strings.size() + 63) / 64;
        for (const auto& [kind, slot, elem, set] : ids) {
            Column c;
            c.kind = kind;
            c.slot = slot;
            if (kind == Column::Kind::String) c.values.assign(words, 0);
            if (kind == Column::Kind::SomeInSet) {
                c.elem = elem;
                c.stride = static_cast<std::uint32_t>(p_.lists[slot].stride);
                c.values = p_.set_union(static_cast<std::uint32_t>(set));  // (every window's members)
            }
            ix.columns.push_back(std::move(c));
        }
        std::size_t keys = 0;
        for (std::size_t i = 0; i < entries.size(); ++i) keys += i == 0 || entries[i].first != entries[i - 1].first;
        // Powers of two: a table at most half full, and a filter of about eight bits a key,
        // at least one word.
        ix.table.assign(std::bit_ceil(std::max<std::size_t>(8, keys * 2)), {});
        const std::size_t mask = ix.table.size() - 1;
        const auto filter_log2 = static_cast<unsigned>(std::countr_zero(std::bit_ceil(std::max<std::size_t>(64, keys * 8))));
        ix.filter.assign((std::size_t{1} << filter_log2) / 64, 0);
        ix.filter_shift = 64 - filter_log2;
        constexpr auto bits = Program::RuleIndex::kCodeBits;
        for (const auto& [key, rule] : entries)
            for (std::size_t c = 0; c < ix.columns.size(); ++c) {
                const auto code = static_cast<std::uint32_t>((key >> (bits * c)) & Program::RuleIndex::kMaxCode);
                auto& col = ix.columns[c];
                if (col.kind == Column::Kind::SomeInSet) col.codes |= 2;
                else if (col.kind != Column::Kind::String) col.codes |= static_cast<std::uint8_t>(1u << code);
                else if (code / 64 < words) col.values[code / 64] |= std::uint64_t{1} << (code % 64);
            }
        order_columns(ix, entries);
        // Per column, the rules whose pin on it would fail, not be false, were it absent.
        for (std::size_t c = 0; c < ix.columns.size(); ++c) {
            auto& col = ix.columns[c];
            if (col.kind == Column::Kind::NonEmpty) continue;  // (a list is never absent)
            std::vector<std::uint32_t> rules;
            for (const auto& [key, rule] : entries) {
                const auto& g = guarded_[rule];
                const auto alt = guarded_alt_.find(rule);  // (a look-up: adds no empty entries)
                const bool alt_guarded = alt != guarded_alt_.end() && alt->second.count(col.slot);
                if (col.kind == Column::Kind::SomeInSet ||
                    (std::find(g.begin(), g.end(), col.slot) == g.end() && !alt_guarded))
                    rules.push_back(rule);
            }
            std::sort(rules.begin(), rules.end());
            rules.erase(std::unique(rules.begin(), rules.end()), rules.end());
            col.absent = rule_words(rules);
        }
        std::vector<std::uint32_t> rules;
        for (std::size_t i = 0; i < entries.size();) {
            std::size_t j = i;
            rules.clear();
            while (j < entries.size() && entries[j].first == entries[i].first) rules.push_back(entries[j++].second);
            const auto words = rule_words(rules);
            const auto begin = static_cast<std::uint32_t>(ix.rules.size());
            ix.rules.insert(ix.rules.end(), words.begin(), words.end());
            const std::uint64_t key = entries[i].first;
            std::uint64_t h = Program::RuleIndex::hash(key) & mask;
            while (ix.table[h].key != ~std::uint64_t{0}) h = (h + 1) & mask;
            ix.table[h] = {key, begin, static_cast<std::uint32_t>(words.size()), words.size() == 1 ? words[0] : RuleWord{}};
            const std::uint64_t bit = Program::RuleIndex::product(key) >> ix.filter_shift;
            ix.filter[bit >> 6] |= std::uint64_t{1} << (bit & 63);
            i = j;
        }
        p_.indexes.push_back(std::move(ix));
    }

    const CheckedPolicySet& set_;
    Program& p_;
    std::vector<std::vector<Pin>> pins_;
    std::vector<std::vector<std::size_t>> pin_steps_;  // the plan step of each pin
    std::vector<std::vector<std::int32_t>> guarded_;  // slots tested with `has`
    /// Per rule, the slots of its key's `has x and x in S` alternatives (see Alt::guarded).
    std::map<std::uint32_t, std::set<std::int32_t>> guarded_alt_;
    std::map<std::int32_t, std::set<std::uint32_t>> observed_;
    std::map<std::int32_t, std::int32_t> attr_of_slot_;  // root slot -> attribute id (String pins)
    std::map<std::vector<ColumnId>, std::vector<std::pair<std::uint64_t, std::uint32_t>>> keyed_;
    std::map<std::int32_t, std::vector<std::uint32_t>> present_;
};

}  // namespace

void index_rules(const CheckedPolicySet& set, Program& p, bool enabled) {
    if (enabled) {
        Indexer(set, p).run();
        return;
    }
    for (std::uint32_t rule = 0; rule < p.rules.size(); ++rule)
        if (p.rules[rule].twin_of < 0 && p.rules[rule].family_of < 0) p.unindexed.push_back(rule);
}

}  // namespace cordon
