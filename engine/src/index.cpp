// Rule indexing. A conjunct that holds only for a few strings of a root attribute is a
// pin: `country in D5`, `chip == "A100"`, `hq == "CN" or region == "CN"` (one pin of two
// alternatives). Each rule is filed under its most selective pin, or pair of pins on
// different attributes, every combination of their values; a request then looks up its
// own values once per key. Estimated share of requests a pin lets through: its values over
// the attribute's domain (~250 for a country, the enum's size, else the values the rules
// name); a pair's share is the product. A rule whose best key lets half or more through is
// visited for every request, unless it requires `has x`: then it is visited when x is given.
#include "index.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace cordon {
namespace {

struct Alt {
    std::int32_t slot = -1;
    std::int32_t attr = -1;
    std::vector<std::uint32_t> values;
};
using Pin = std::vector<Alt>;  // holds when any alternative holds

std::optional<Pin> pin_of(const Program& p, std::int32_t index) {
    const Node& n = p.nodes[index];
    Alt alt;
    if (n.op == NodeOp::AttrInSet) {
        alt.slot = n.a;
        alt.attr = n.b;
        const auto set = n.k.aux;
        for (std::uint32_t w = 0; w < p.set_words[set]; ++w)
            for (std::uint64_t bits = p.set_bits[p.set_offset[set] + w]; bits; bits &= bits - 1)
                alt.values.push_back(w * 64 + static_cast<std::uint32_t>(__builtin_ctzll(bits)));
        return Pin{std::move(alt)};
    }
    if (n.op == NodeOp::AttrEqStr && n.sub == NodeOp::Eq) {
        alt.slot = n.a;
        alt.attr = n.b;
        alt.values.push_back(n.k.s);
        return Pin{std::move(alt)};
    }
    if (n.op == NodeOp::LetRef) return pin_of(p, p.lets[n.a]);  // a let's value pins as its body does
    if (n.op == NodeOp::Or) {
        auto l = pin_of(p, p.kids[n.first]);
        auto r = pin_of(p, p.kids[n.first + 1]);
        if (!l || !r) return std::nullopt;
        for (auto& ra : *r) {
            auto same = std::find_if(l->begin(), l->end(), [&](const Alt& a) { return a.slot == ra.slot; });
            if (same == l->end()) {
                l->push_back(std::move(ra));
                continue;
            }
            same->values.insert(same->values.end(), ra.values.begin(), ra.values.end());
            std::sort(same->values.begin(), same->values.end());
            same->values.erase(std::unique(same->values.begin(), same->values.end()), same->values.end());
        }
        return l;
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
            if (p_.rules[rule].twin_of < 0) file(rule);  // a twin is decided by its head
        for (auto& [slots, entries] : keyed_) build(slots, entries);
        for (auto& [slot, rules] : present_) p_.when_present.push_back({slot, rule_words(rules)});
        for (auto& [slot, rules] : absent_) {
            std::sort(rules.begin(), rules.end());
            rules.erase(std::unique(rules.begin(), rules.end()), rules.end());
            p_.when_absent.push_back({slot, rule_words(rules)});
        }
    }

private:
    // Every rule's usable pins, the slots it tests with `has`, and each slot's observed domain.
    void collect() {
        pins_.resize(p_.rules.size());
        pin_steps_.resize(p_.rules.size());
        guarded_.resize(p_.rules.size());
        for (std::uint32_t rule = 0; rule < p_.rules.size(); ++rule) {
            const auto& pr = p_.rules[rule];
            for (std::uint32_t step = 0; step < pr.plan_count; ++step) {
                if (p_.plan[pr.plan_first + step].negate) continue;  // `not c` pins nothing
                const std::int32_t c = p_.plan[pr.plan_first + step].node;
                const Node& n = p_.nodes[c];
                if (n.op == NodeOp::Has && p_.nodes[p_.kids[n.first]].op == NodeOp::Attr)
                    guarded_[rule].push_back(p_.nodes[p_.kids[n.first]].a);
                if (n.op == NodeOp::AttrTrue) guarded_[rule].push_back(n.a);
                auto pin = pin_of(p_, c);
                if (!pin) continue;
                bool usable = pin->size() <= 4;
                for (const auto& alt : *pin) usable = usable && !alt.values.empty() && alt.values.size() <= 64;
                if (!usable) continue;
                for (const auto& alt : *pin) observed_[alt.slot].insert(alt.values.begin(), alt.values.end());
                pins_[rule].push_back(std::move(*pin));
                pin_steps_[rule].push_back(step);
            }
        }
    }

    double share(const Pin& pin) {
        double s = 0;
        for (const auto& alt : pin) {
            const auto& attr = set_.attrs.attrs[alt.attr];
            double domain = static_cast<double>(observed_[alt.slot].size()) + 1;  // +1: values no rule names
            if (attr.type == ScalarType::Country) domain = std::max(domain, 250.0);  // ISO 3166 has ~250 codes
            if (attr.type == ScalarType::Enum) domain = static_cast<double>(attr.enum_values.size());
            s += static_cast<double>(alt.values.size()) / domain;
        }
        return std::min(s, 1.0);
    }

    static std::size_t entries(const Pin& pin) {
        std::size_t n = 0;
        for (const auto& alt : pin) n += alt.values.size();
        return n;
    }

    static bool disjoint(const Pin& a, const Pin& b) {
        for (const auto& x : a)
            for (const auto& y : b)
                if (x.slot == y.slot) return false;
        return true;
    }

    void file(std::uint32_t rule) {
        const auto& pins = pins_[rule];
        const Pin* best_a = nullptr;
        const Pin* best_b = nullptr;
        std::size_t step_a = 0, step_b = 0;
        double best = 0.5;  // a key letting half the requests through or more is not worth it
        for (std::size_t i = 0; i < pins.size(); ++i) {
            const double si = share(pins[i]);
            if (si < best) best = si, best_a = &pins[i], best_b = nullptr, step_a = pin_steps_[rule][i];
            for (std::size_t j = i + 1; j < pins.size(); ++j) {
                if (!disjoint(pins[i], pins[j])) continue;
                if (entries(pins[i]) * entries(pins[j]) > kMaxEntriesPerRule) continue;
                const double sij = si * share(pins[j]);
                if (sij < best)
                    best = sij, best_a = &pins[i], best_b = &pins[j], step_a = pin_steps_[rule][i], step_b = pin_steps_[rule][j];
            }
        }
        const auto& g = guarded_[rule];
        if (!best_a) {
            if (g.empty()) p_.unindexed.push_back(rule);
            else present_[g.front()].push_back(rule);
            return;
        }
        auto absent = [&](const Pin& pin) {
            for (const auto& alt : pin)
                if (std::find(g.begin(), g.end(), alt.slot) == g.end()) absent_[alt.slot].push_back(rule);
        };
        absent(*best_a);
        if (best_b) absent(*best_b);
        pin_first(rule, step_a, best_b ? std::optional<std::size_t>(step_b) : std::nullopt);
        for (const auto& x : *best_a) {
            if (!best_b) {
                for (auto v : x.values) keyed_[{x.slot, -1}].push_back({Program::RuleIndex::key_of(v, ~0u), rule});
                continue;
            }
            for (const auto& y : *best_b) {
                const bool swap = y.slot < x.slot;  // one table per pair of slots, in slot order
                const Alt& a = swap ? y : x;
                const Alt& b = swap ? x : y;
                for (auto va : a.values)
                    for (auto vb : b.values) keyed_[{a.slot, b.slot}].push_back({Program::RuleIndex::key_of(va, vb), rule});
            }
        }
    }

    // Moves the key's conjuncts to the front of the rule's plan (the order of a plan's
    // conjuncts decides nothing but cost: errors go by their order as written).
    void pin_first(std::uint32_t rule, std::size_t a, std::optional<std::size_t> b) {
        auto& r = p_.rules[rule];
        auto* plan = p_.plan.data() + r.plan_first;
        std::vector<PlanStep> steps(plan, plan + r.plan_count), ordered;
        ordered.push_back(steps[a]);
        if (b) ordered.push_back(steps[*b]);
        for (std::size_t k = 0; k < steps.size(); ++k)
            if (k != a && (!b || k != *b)) ordered.push_back(steps[k]);
        std::copy(ordered.begin(), ordered.end(), plan);
        r.plan_pinned = b ? 2 : 1;
    }

    void build(std::pair<std::int32_t, std::int32_t> slots, std::vector<std::pair<std::uint64_t, std::uint32_t>>& entries) {
        std::sort(entries.begin(), entries.end());
        entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
        Program::RuleIndex ix;
        ix.slot_a = slots.first;
        ix.slot_b = slots.second;
        std::size_t keys = 0;
        for (std::size_t i = 0; i < entries.size(); ++i) keys += i == 0 || entries[i].first != entries[i - 1].first;
        std::size_t size = 8;
        while (size < keys * 2) size <<= 1;
        ix.table.assign(size, {});
        const std::size_t words = (p_.strings.size() + 63) / 64;
        ix.values_a.assign(words, 0);
        if (ix.slot_b >= 0) ix.values_b.assign(words, 0);
        for (const auto& [key, rule] : entries) {
            const auto a = static_cast<std::uint32_t>(key >> 32), b = static_cast<std::uint32_t>(key);
            if (a / 64 < words) ix.values_a[a / 64] |= std::uint64_t{1} << (a % 64);
            if (ix.slot_b >= 0 && b / 64 < words) ix.values_b[b / 64] |= std::uint64_t{1} << (b % 64);
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
            std::uint64_t h = Program::RuleIndex::hash(key) & (size - 1);
            while (ix.table[h].key != ~std::uint64_t{0}) h = (h + 1) & (size - 1);
            ix.table[h] = {key, begin, static_cast<std::uint32_t>(words.size())};
            i = j;
        }
        p_.indexes.push_back(std::move(ix));
    }

    const CheckedPolicySet& set_;
    Program& p_;
    std::vector<std::vector<Pin>> pins_;
    std::vector<std::vector<std::size_t>> pin_steps_;  // the plan step of each pin
    std::vector<std::vector<std::int32_t>> guarded_;  // slots tested with `has`
    std::map<std::int32_t, std::set<std::uint32_t>> observed_;
    std::map<std::pair<std::int32_t, std::int32_t>, std::vector<std::pair<std::uint64_t, std::uint32_t>>> keyed_;
    std::map<std::int32_t, std::vector<std::uint32_t>> absent_, present_;
};

}  // namespace

void index_rules(const CheckedPolicySet& set, Program& p) { Indexer(set, p).run(); }

}  // namespace cordon
