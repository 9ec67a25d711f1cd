// Rule plans: the fast form `Evaluator::decide` runs, made from the `when`/`unless` trees.
//
//  * A rule's `when` is flattened into its top-level conjuncts, run cheapest first: the
//    first false conjunct ends the rule. Kleene `and` is commutative up to which error it
//    reports, so each conjunct keeps its source position and the rule reports the error of
//    its leftmost failing conjunct, exactly as the tree does.
//  * `x in A or x in B` (and `x == "a" or ...`) on the same operand becomes one bitset test
//    on A ∪ B: both sides fail in the same way when x is absent, so nothing changes.
//  * A costly expression that several rules share (e.g. `any p in intermediaries: ...`
//    repeated in 2,000 rules) and that reads no bound variable is evaluated once per
//    request: it becomes a let of its own, cached like the lets the policies write.
//  * A costly let that depends on one string attribute once some others are absent (the
//    chip classification of a request that names the chip and gives no figures) gets a
//    table of its values for every string, worked out here by evaluating it.
#include "passes/plan.hpp"

#include "cordon/engine/evaluate.hpp"
#include "cordon/engine/request.hpp"

#include <algorithm>
#include <cstring>
#include <set>
#include <map>
#include <optional>
#include <unordered_map>

namespace cordon {
namespace {

bool is_fused(NodeOp op) { return op >= NodeOp::AttrInSet; }
// A node that reads one request value or none (no bound variable): cheaper than a let look-up.
bool is_leaf(NodeOp op) {
    return op == NodeOp::Const || op == NodeOp::Attr || op == NodeOp::Has || op == NodeOp::AttrInSet ||
           op == NodeOp::AttrCmpNum || op == NodeOp::AttrEqStr || op == NodeOp::AttrTrue;
}
bool is_quantifier(NodeOp op) {
    return op == NodeOp::Any || op == NodeOp::All || op == NodeOp::Count || op == NodeOp::Sum;
}

class Planner {
public:
    Planner(const CheckedPolicySet& set, const CompileOptions& options, Program& p, const PushNode& push)
        : set_(set), o_(options), p_(p), push_(push) {}

    void run() {
        analyse();
        fast_let_.assign(p_.lets.size(), -1);
        // A rule (or let) that spells out a let's body, e.g. `d5_or_macau(customer.hq_country)
        // or (has customer.parent_hq_country and ...)` written again in another policy, reads
        // the let's cached value instead (nodes are hash-consed: the same text is the same node).
        for (std::size_t let = 0; let < p_.lets.size() && o_.shared_lets; ++let) {
            const std::int32_t body = p_.lets[let];
            if (body < 0 || free_[body] != 0) continue;
            const NodeOp op = p_.nodes[body].op;
            if (op == NodeOp::Const || op == NodeOp::LetRef || op == NodeOp::Attr || op == NodeOp::Has || is_fused(op)) continue;
            let_of_body_.emplace(body, static_cast<std::int32_t>(let));
        }
        for (auto& r : p_.rules) {
            const std::int32_t when = shared(r.when);
            r.plan_unless = r.unless >= 0 ? shared(r.unless) : -1;
            steps_.clear();
            flatten(when);
            r.plan_first = static_cast<std::uint32_t>(p_.plan.size());
            r.plan_count = static_cast<std::uint32_t>(steps_.size());
            p_.plan.insert(p_.plan.end(), steps_.begin(), steps_.end());
        }
        // Costs of the nodes made above, then each rule's conjuncts cheapest first.
        analyse();
        // A conjunct is worth running early when it is cheap and likely to be false: rank by
        // cost / P(false), the order that minimises the expected cost of independent tests.
        // mutation: skip from here: cost model only, cannot change a decision (the order of conjuncts)
        auto rank = [&](const PlanStep& x) {
            const double p_true = x.negate ? 1 - p_true_[x.node] : p_true_[x.node];
            return cost_[x.node] / std::max(0.02, 1 - p_true);
        };
        // mutation: skip to here
        for (auto& r : p_.rules) {
            if (!o_.plan) break;  // (off: the conjuncts as written)
            auto b = p_.plan.begin() + r.plan_first;
            std::stable_sort(b, b + r.plan_count, [&](const PlanStep& x, const PlanStep& y) { return rank(x) < rank(y); });
        }
        choose_guards();
        specialise_lets();
    }

    // Root slots a let's value can depend on; false when it reads bound variables or lists,
    // orders strings by their text (a request's own strings would then differ), or tests a
    // dated set or reads a table with dated rows (its value then depends on the day, which
    // a KeyTable does not know).
    // `seen` holds the nodes already walked for this let: shared nodes (`let a1 = a0 and a0`)
    // are walked once, so the walk is linear in the let's nodes, not exponential.
    bool reads_of(std::int32_t index, std::set<std::int32_t>& slots, std::set<std::int32_t>& seen, int depth = 0) const {
        if (depth > 64) return false;
        if (!seen.insert(index).second) return true;  // (its slots are in already; a false ended the walk)
        const Node& n = p_.nodes[index];
        if (n.op == NodeOp::AttrInSet && p_.set_varies(n.k.aux)) return false;
        if (n.op == NodeOp::InSet && p_.set_varies(static_cast<std::uint32_t>(n.a))) return false;
        if ((n.op == NodeOp::Lookup || n.op == NodeOp::InTable) && p_.tables[static_cast<std::size_t>(n.a)].dated()) return false;
        switch (n.op) {
            case NodeOp::Elem: case NodeOp::ElemInSet: case NodeOp::ElemEqStr: case NodeOp::InList:
            case NodeOp::Any: case NodeOp::All: case NodeOp::Count: case NodeOp::Sum:
                return false;
            case NodeOp::Attr: case NodeOp::AttrInSet: case NodeOp::AttrCmpNum: case NodeOp::AttrEqStr:
            case NodeOp::AttrTrue:
                slots.insert(n.a);
                return true;
            case NodeOp::Has: {
                const Node& target = p_.nodes[p_.kids[n.first]];
                if (target.op != NodeOp::Attr) return false;
                slots.insert(target.a);
                return true;
            }
            case NodeOp::LetRef: return reads_of(p_.lets[n.a], slots, seen, depth + 1);
            case NodeOp::Lt: case NodeOp::Le: case NodeOp::Gt: case NodeOp::Ge:
                if (static_cast<Type>(n.b) == Type::String) return false;
                break;
            default: break;
        }
        for (std::uint32_t k = 0; k < n.count; ++k)
            if (!reads_of(p_.kids[n.first + k], slots, seen, depth + 1)) return false;
        return true;
    }

    static bool same(const Value& a, const Value& b) {
        return a.tag == b.tag && a.aux == b.aux && std::memcmp(&a.n, &b.n, sizeof a.n) == 0;
    }

    // Program::KeyTable for each costly let that reads exactly one string attribute (and
    // others that may be absent): its value for every string id, worked out now by
    // evaluating it on a request that gives only that attribute.
    void specialise_lets() {
        p_.let_key_table.assign(p_.lets.size(), -1);
        if (!o_.key_tables) return;
        std::vector<std::int32_t> slot_type(static_cast<std::size_t>(p_.root_slots), -1);
        for (std::size_t id = 0; id < set_.attrs.attrs.size(); ++id) {
            const auto& a = set_.attrs.attrs[id];
            if (a.list < 0) slot_type[static_cast<std::size_t>(a.slot)] = static_cast<std::int32_t>(a.type);
        }
        auto is_string = [&](std::int32_t slot) {
            const auto t = static_cast<ScalarType>(slot_type[static_cast<std::size_t>(slot)]);
            return t == ScalarType::String || t == ScalarType::Enum || t == ScalarType::Country;
        };
        Evaluator ev(p_);
        Request rq;
        for (std::size_t let = 0; let < p_.lets.size(); ++let) {
            const std::int32_t body = p_.lets[let];
            if (cost_[body] < 8) continue;  // cheap enough as it is
            std::set<std::int32_t> slots, seen;
            if (!reads_of(body, slots, seen)) continue;
            std::vector<std::int32_t> keys;
            for (const auto s : slots)
                if (is_string(s)) keys.push_back(s);
            if (keys.size() != 1) continue;
            Program::KeyTable t;
            t.key_slot = keys.front();
            for (const auto s : slots)
                if (s != t.key_slot) t.absent_slots.push_back(s);
            rq.reset(p_);
            t.absent = ev.evaluate(rq, body);
            const auto strings = static_cast<std::uint32_t>(p_.strings.size());
            rq.root[t.key_slot] = Value::string(strings);  // a request's own string
            t.other = ev.evaluate(rq, body);
            for (std::uint32_t id = 0; id < strings; ++id) {
                rq.root[t.key_slot] = Value::string(id);
                const Value v = ev.evaluate(rq, body);
                if (!same(v, t.other)) t.values.emplace_back(id, v);
            }
            if (strings <= Program::KeyTable::kMaxDense) {
                t.by_id.assign(strings, t.other);
                for (const auto& [id, v] : t.values) t.by_id[id] = v;
            }
            p_.let_key_table[let] = static_cast<std::int32_t>(p_.key_tables.size());
            p_.key_tables.push_back(std::move(t));
        }
    }

    // The lets most rules require as a conjunct become guards (Program::guards).
    void choose_guards() {
        std::map<std::int32_t, std::size_t> uses;  // LetRef node -> rules requiring it
        for (const auto& r : p_.rules)
            for (std::uint32_t k = 0; k < r.plan_count; ++k) {
                const PlanStep& step = p_.plan[r.plan_first + k];
                const std::int32_t node = step.node;
                if (!step.negate && p_.nodes[node].op == NodeOp::LetRef && p_.nodes[node].type == Type::Bool) ++uses[node];
            }
        std::vector<std::pair<std::size_t, std::int32_t>> ranked;
        for (const auto& [node, n] : uses)
            if (n >= 2 && o_.guards) ranked.emplace_back(n, node);
        std::sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) { return x.first > y.first || (x.first == y.first && x.second < y.second); });
        if (ranked.size() > 64) ranked.resize(64);
        std::map<std::int32_t, std::uint64_t> bit;
        for (const auto& [n, node] : ranked) {
            bit[node] = std::uint64_t{1} << p_.guards.size();
            p_.guards.push_back(p_.nodes[node].a);
        }
        p_.rule_guards.assign(p_.rules.size(), 0);
        for (std::size_t i = 0; i < p_.rules.size(); ++i) {
            const auto& r = p_.rules[i];
            for (std::uint32_t k = 0; k < r.plan_count; ++k)
                if (const PlanStep& step = p_.plan[r.plan_first + k]; !step.negate)
                    if (auto it = bit.find(step.node); it != bit.end()) p_.rule_guards[i] |= it->second;
        }
    }

private:
    // Per node: parents, cost, and the bound variables read but not bound inside it.
    // Kids come before their parents in `nodes`, so one forward pass does it.
    void analyse() {
        const std::size_t n = p_.nodes.size();
        refs_.assign(n, 0);
        cost_.assign(n, 0);
        free_.assign(n, 0);
        p_true_.assign(n, 0.5);
        for (std::size_t i = 0; i < n; ++i) {
            const Node& x = p_.nodes[i];
            for (std::uint32_t k = 0; k < x.count; ++k) ++refs_[p_.kids[x.first + k]];
        }
        for (const auto& r : p_.rules) {  // identical `when`s of two rules are one node
            if (r.when >= 0) ++refs_[r.when];
            if (r.unless >= 0) ++refs_[r.unless];
        }
        let_root_.assign(n, 0);
        for (const auto root : p_.lets) let_root_[root] = 1;
        for (std::size_t i = 0; i < n; ++i) {
            const Node& x = p_.nodes[i];
            const std::int32_t* kid = p_.kids.data() + x.first;
            std::uint64_t vars = 0;
            double c = 1;
            for (std::uint32_t k = 0; k < x.count; ++k) {
                vars |= free_[kid[k]];
                c += cost_[kid[k]];
            }
            auto var_bit = [](std::int32_t v) { return std::uint64_t{1} << std::min(v, 63); };
            switch (x.op) {
                case NodeOp::Const: c = 0; break;
                case NodeOp::Attr: case NodeOp::Has: case NodeOp::AttrInSet: case NodeOp::AttrCmpNum:
                case NodeOp::AttrEqStr:
                    c = 1;
                    break;
                case NodeOp::Elem: case NodeOp::ElemInSet: case NodeOp::ElemEqStr:
                    c = 1;
                    vars |= var_bit(x.b);
                    break;
                case NodeOp::LetRef: {
                    const auto root = p_.lets[static_cast<std::size_t>(x.a)];
                    c = 1 + cost_[root];  // the first reader pays the whole body  // mutation: skip line: cost model only
                    vars = 0;
                    break;
                }
                case NodeOp::Any: case NodeOp::All: case NodeOp::Count: case NodeOp::Sum:
                    c = 4 + 3 * (c - 1);  // a few elements each  // mutation: skip line: cost model only
                    if (x.b < 63) vars &= ~var_bit(x.b);
                    break;
                default: break;
            }
            cost_[i] = c;
            free_[i] = vars;
            p_true_[i] = likelihood(x, kid);
        }
    }

    // A guess at how often a condition holds, with no data on requests: a test for one string
    // (or a few: a set) is rarely true, `has` usually, a number comparison half the time.
    // mutation: skip from here: likelihoods only order conjuncts, cannot change a decision
    double likelihood(const Node& x, const std::int32_t* kid) const {
        auto popcount = [&](std::uint32_t set) {
            double n = 0;
            for (std::uint32_t w = 0; w < p_.set_words[set]; ++w) n += __builtin_popcountll(p_.set_bitset(set, 0)[w]);
            return n;
        };
        switch (x.op) {
            case NodeOp::Const: return x.type == Type::Bool && x.k.b ? 1.0 : 0.0;
            case NodeOp::AttrEqStr: case NodeOp::ElemEqStr: return x.sub == NodeOp::Eq ? 0.1 : 0.9;
            case NodeOp::Eq: return 0.2;
            case NodeOp::Ne: return 0.8;
            case NodeOp::AttrInSet: case NodeOp::ElemInSet: {
                // Of the attribute's values: an enum's, ~250 country codes, else a guess of 50.
                const auto& attr = set_.attrs.attrs[x.op == NodeOp::AttrInSet ? x.b : x.k.s];
                const double domain = attr.type == ScalarType::Enum      ? static_cast<double>(attr.enum_values.size())
                                      : attr.type == ScalarType::Country ? 250.0
                                                                         : 50.0;
                return std::clamp(popcount(x.k.aux) / domain, 0.02, 0.9);
            }
            case NodeOp::Has: return 0.7;
            case NodeOp::AttrTrue: return 0.3;
            case NodeOp::Not: return 1 - p_true_[kid[0]];
            case NodeOp::And: return p_true_[kid[0]] * p_true_[kid[1]];
            case NodeOp::Or: return 1 - (1 - p_true_[kid[0]]) * (1 - p_true_[kid[1]]);
            case NodeOp::LetRef: return p_true_[p_.lets[static_cast<std::size_t>(x.a)]];
            case NodeOp::Any: return 0.3;
            case NodeOp::All: return 0.7;
            default: return 0.5;
        }
    }
    // mutation: skip to here

    // A test of one operand's membership in a set of strings: `x in S` or `x == "s"`.
    struct Membership {
        bool root = true;
        std::int32_t a = -1, b = -1;  // slot, and attribute id (root) or variable (element)
        std::uint32_t attr = 0;       // attribute id (element)
        std::int32_t operand = -1;    // the operand's node (kept as the fused node's kid)
        std::vector<std::uint64_t> bits;
        bool same_operand(const Membership& o) const {
            return root == o.root && a == o.a && b == o.b && attr == o.attr;
        }
    };

    std::optional<Membership> membership(std::int32_t index) const {
        const Node& n = p_.nodes[index];
        Membership m;
        // One bitset per window of dated data (Program::set_epochs), back to back.
        const std::size_t words = (p_.strings.size() + 63) / 64;
        const std::uint32_t windows = p_.set_windows();
        m.bits.assign(words * windows, 0);
        m.operand = n.count ? p_.kids[n.first] : -1;
        auto add_set = [&](std::uint32_t set) {
            for (std::uint32_t win = 0; win < windows; ++win)
                for (std::uint32_t w = 0; w < p_.set_words[set] && w < words; ++w)
                    m.bits[win * words + w] |= p_.set_bitset(set, win)[w];
        };
        auto add_string = [&](std::uint32_t s) {
            for (std::uint32_t win = 0; win < windows; ++win)
                if (s / 64 < words) m.bits[win * words + s / 64] |= std::uint64_t{1} << (s % 64);
        };
        switch (n.op) {
            case NodeOp::AttrInSet: m.a = n.a; m.b = n.b; add_set(n.k.aux); return m;
            case NodeOp::ElemInSet: m.root = false; m.a = n.a; m.b = n.b; m.attr = n.k.s; add_set(n.k.aux); return m;
            case NodeOp::AttrEqStr:
                if (n.sub != NodeOp::Eq || n.k.s >= p_.strings.size()) return std::nullopt;
                m.a = n.a; m.b = n.b; add_string(n.k.s);
                return m;
            case NodeOp::ElemEqStr:
                if (n.sub != NodeOp::Eq || n.k.s >= p_.strings.size()) return std::nullopt;
                m.root = false; m.a = n.a; m.b = n.b; m.attr = n.k.aux; add_string(n.k.s);
                return m;
            default: return std::nullopt;
        }
    }

    // `x in A or x in B` as one test on A ∪ B, or nothing when the sides test different operands.
    std::optional<std::int32_t> union_of(std::int32_t l, std::int32_t r, Span span) {
        auto ml = membership(l), mr = membership(r);
        if (!ml || !mr || !ml->same_operand(*mr) || ml->operand < 0) return std::nullopt;
        for (std::size_t w = 0; w < ml->bits.size(); ++w) ml->bits[w] |= mr->bits[w];
        auto [it, fresh] = set_of_bits_.emplace(ml->bits, static_cast<std::uint32_t>(p_.set_words.size()));
        if (fresh) {
            p_.set_offset.push_back(static_cast<std::uint32_t>(p_.set_bits.size()));
            p_.set_words.push_back(static_cast<std::uint32_t>(ml->bits.size() / p_.set_windows()));
            p_.set_bits.insert(p_.set_bits.end(), ml->bits.begin(), ml->bits.end());
        }
        Node f;
        f.type = Type::Bool;
        f.op = ml->root ? NodeOp::AttrInSet : NodeOp::ElemInSet;
        f.a = ml->a;
        f.b = ml->b;
        if (!ml->root) f.k.s = ml->attr;
        f.k.aux = it->second;
        return push_(f, {ml->operand}, span);
    }

    // `has x and x` for a bool attribute x: true when x is given and true, else false.
    std::optional<std::int32_t> has_and_true(std::int32_t l, std::int32_t r, Span span) {
        const Node& h = p_.nodes[l];
        if (h.op != NodeOp::Has || p_.kids[h.first] != r) return std::nullopt;
        const Node& x = p_.nodes[r];
        if (x.op != NodeOp::Attr || x.type != Type::Bool) return std::nullopt;
        Node f;
        f.op = NodeOp::AttrTrue;
        f.type = Type::Bool;
        f.a = x.a;
        f.b = x.b;
        return push_(f, {r}, span);
    }

    // `index` rewritten, or the (rewritten) reference to the let whose body it is.
    std::int32_t shared(std::int32_t index) {
        const auto it = let_of_body_.find(index);
        if (it == let_of_body_.end() || index == body_in_progress_) return rewrite(index);
        Node m;
        m.op = NodeOp::LetRef;
        m.type = p_.nodes[index].type;
        m.a = it->second;
        return rewrite(push_(m, {}, p_.node_spans[index]));
    }

    std::int32_t fast_let(std::int32_t let) {
        if (fast_let_[let] < 0) {
            const std::int32_t root = p_.lets[let];
            const std::int32_t outer = body_in_progress_;
            body_in_progress_ = root;
            const std::int32_t fast = rewrite(root);
            body_in_progress_ = outer;
            // Lets of different policies whose bodies differ only in set ids (each policy
            // uses its own copy of D5) become the same once unions of sets are merged by
            // content: they share one cache slot.
            const auto [same, fresh] = let_of_fast_body_.emplace(fast, -1);
            if (!fresh) {
                fast_let_[let] = same->second;
            } else if (fast == root) {
                fast_let_[let] = let;
            } else {
                fast_let_[let] = static_cast<std::int32_t>(p_.lets.size());
                p_.lets.push_back(fast);
            }
            same->second = fast_let_[let];
        }
        return fast_let_[let];
    }

    std::int32_t rewrite(std::int32_t index) {
        if (auto it = fast_of_.find(index); it != fast_of_.end()) return it->second;
        const Node n = p_.nodes[index];
        const Span span = p_.node_spans[index];
        std::int32_t out = index;
        if (n.op == NodeOp::LetRef) {
            const std::int32_t let = fast_let(n.a);
            const std::int32_t body = p_.lets[let];
            if (is_leaf(p_.nodes[body].op)) {
                out = body;  // a let of one leaf (`licensed = has x and x`) costs more cached than read
            } else if (let != n.a) {
                Node m = n;
                m.a = let;
                out = push_(m, {}, span);
            }
        } else if (n.op != NodeOp::Has && !is_fused(n.op) && n.count > 0) {
            std::vector<std::int32_t> kids(p_.kids.begin() + n.first, p_.kids.begin() + n.first + n.count);
            bool changed = false;
            for (auto& k : kids) {
                const auto f = shared(k);
                changed = changed || f != k;
                k = f;
            }
            std::optional<std::int32_t> merged;
            if (n.op == NodeOp::Or && o_.unions) merged = union_of(kids[0], kids[1], span);
            if (n.op == NodeOp::And && o_.fuse) merged = has_and_true(kids[0], kids[1], span);
            if (merged) out = *merged;
            else if (changed) out = push_(n, kids, span);
        }
        // Shared, free of bound variables, and costly or a condition (which can then be a
        // guard): evaluate once per request.
        const NodeOp op = p_.nodes[out].op;
        // (Not an `and`: a rule's conjuncts are flattened and each is planned on its own.)
        const bool cheap = op == NodeOp::Const || op == NodeOp::LetRef || op == NodeOp::Attr || op == NodeOp::Has ||
                           op == NodeOp::And || is_fused(op);
        // (A body of a few steps over cached values is cheaper to evaluate than to cache.)
        if (o_.shared_lets && !cheap && !let_root_[index] && refs_[index] >= 2 && free_[index] == 0 && (is_quantifier(op) || own_cost(out) >= 6)) {
            const auto let = static_cast<std::int32_t>(p_.lets.size());
            p_.lets.push_back(out);
            Node m;
            m.op = NodeOp::LetRef;
            m.type = n.type;
            m.a = let;
            out = push_(m, {}, span);
        }
        fast_of_.emplace(index, out);
        return out;
    }

    // What evaluating a node costs once the lets it reads are cached (a let read costs 1):
    // the measure of whether a shared expression is worth a cache slot of its own. Same
    // scale as cost_ (a leaf 1, a quantifier about four times its body).
    // mutation: skip from here: cost model only, cannot change a decision (cached or not, a let has one value)
    double own_cost(std::int32_t index) const {
        const Node& x = p_.nodes[index];
        if (x.op == NodeOp::Const) return 0;
        if (x.op == NodeOp::LetRef || x.op == NodeOp::Attr || x.op == NodeOp::Elem || x.op == NodeOp::Has || is_fused(x.op))
            return 1;
        double c = 1;
        for (std::uint32_t k = 0; k < x.count; ++k) c += own_cost(p_.kids[x.first + k]);
        return is_quantifier(x.op) ? 4 + 3 * (c - 1) : c;
    }
    // mutation: skip to here

    void flatten(std::int32_t index) {
        const Node& n = p_.nodes[index];
        if (n.op == NodeOp::And) {
            const std::int32_t l = p_.kids[n.first], r = p_.kids[n.first + 1];
            flatten(l);
            flatten(r);
            return;
        }
        const bool negate = n.op == NodeOp::Not;  // `not c`: run c, expect false
        steps_.push_back({negate ? p_.kids[n.first] : index, static_cast<std::int32_t>(steps_.size()), negate});
    }

    const CheckedPolicySet& set_;
    const CompileOptions o_;
    Program& p_;
    const PushNode& push_;
    std::vector<std::int32_t> refs_;
    std::vector<double> cost_;
    std::vector<double> p_true_;  // per node: a guess at how often it is true (see likelihood)
    std::vector<std::uint64_t> free_;
    std::vector<std::uint8_t> let_root_;  // the body of a let: cached already
    std::vector<std::int32_t> fast_let_;
    std::unordered_map<std::int32_t, std::int32_t> fast_of_;
    std::unordered_map<std::int32_t, std::int32_t> let_of_body_;  // body node -> let (see run)
    std::int32_t body_in_progress_ = -1;
    std::unordered_map<std::int32_t, std::int32_t> let_of_fast_body_;  // rewritten body -> its let  // the let body being rewritten (not replaced by its own let)
    std::map<std::vector<std::uint64_t>, std::uint32_t> set_of_bits_;
    std::vector<PlanStep> steps_;
};

}  // namespace

void plan_rules(const CheckedPolicySet& set, const CompileOptions& options, Program& p, const PushNode& push) {
    Planner(set, options, p, push).run();
}

}  // namespace cordon
