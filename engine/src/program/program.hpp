// The compiled, immutable form of a policy set: a flat array of nodes over slots,
// interned strings, bitset sets and dense tables. Shared read-only between threads.
// Private to the engine (not installed): the public headers name `Program` and the few
// types the Evaluator points to only by forward declaration (engine/README.md).
#pragma once
#include <algorithm>
#include <cassert>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cordon/dsl/checked.hpp"
#include "cordon/engine/compile_options.hpp"
#include "cordon/engine/evaluate.hpp"
#include "cordon/engine/value.hpp"

namespace cordon {

/// Node operations: the checked forms plus folded/specialised variants.
enum class NodeOp : std::uint8_t {
    Const, Attr, Elem, LetRef,
    Not, Neg, And, Or,
    Eq, Ne, Lt, Le, Gt, Ge,
    Add, Sub, Mul, Div,
    InSet, InList, InTable, Has,
    Any, All, Count, Sum,
    Lookup, If,
    // Fused forms the compiler makes from the common shapes (kids keep the unfused
    // operand for `explain`; the evaluator reads the slot directly):
    AttrInSet,   // root attribute in set: a = slot, b = attribute id, k.aux = set
    ElemInSet,   // element field in set: a = slot, b = variable, k.s = attribute id, k.aux = set
    AttrCmpNum,  // root number attribute <op> constant: a = slot, b = attribute id, k.n = constant, sub = op
    AttrEqStr,   // root string attribute ==/!= constant: a = slot, b = attribute id, k.s = string id, sub = op
    ElemEqStr,   // element string field ==/!= constant: a = slot, b = variable, k.s = string id, k.aux = attribute id, sub = op
    AttrTrue,    // `has x and x` for a root bool attribute (plans only): a = slot, b = attribute id
};
const char* node_op_name(NodeOp op);

/// Asserts (debug builds only) that a Node accessor is used on an operator it is valid for.
#define CORDON_NODE_VALID(valid) assert(valid)

/// One step of the program. Children are `kids[first_kid() .. first_kid() + kid_count())`
/// (Program::kid, Program::kids_of).
/// The operands live in the private `a_`, `b_`, `k_` and `sub_`, whose meaning depends on the
/// operator: they are read and written only through the accessors and named constructors
/// below, each of which says (and in debug builds asserts) which operators it is valid for.
/// They are inline and compile to the one field load they name.
struct alignas(32) Node {  // (never across two cache lines)
    // `op` and `type` stay public: they mean the same for every operator, and nearly every
    // reader (the evaluator's dispatch, the passes, printers, tests) switches on them.
    NodeOp op = NodeOp::Const;
    Type type = Type::Bool;

private:
    NodeOp sub_ = NodeOp::Const;  // fused comparisons: the comparison (Eq ... Ge)
    std::uint8_t count_ = 0;      // children
    std::int32_t a_ = -1;  // slot / attribute / set / list / table / let, by op
    std::int32_t b_ = -1;  // element slot / variable / column / attribute / operand type, by op
    std::uint32_t first_ = 0;     // first child in Program::kids
    Value k_;              // Const; the fused forms' constant, set and attribute ids
    friend struct NodeKey;  // hash-consing compares and hashes the raw fields

public:
    /// How many children (Program::kids_of), and where they start in Program::kids.
    std::uint8_t kid_count() const { return count_; }
    std::uint32_t first_kid() const { return first_; }
    /// Places the children (the compiler's `push`, which appends them to Program::kids).
    void place_kids(std::uint32_t first, std::uint8_t count) {
        first_ = first;
        count_ = count;
    }

    /// Reads an attribute directly: Attr, Elem and the fused forms.
    static constexpr bool reads_attribute(NodeOp op) { return op == NodeOp::Attr || op == NodeOp::Elem || op >= NodeOp::AttrInSet; }
    /// Reads a field of a bound list element (the others read a root attribute).
    static constexpr bool reads_element(NodeOp op) { return op == NodeOp::Elem || op == NodeOp::ElemInSet || op == NodeOp::ElemEqStr; }
    /// Binds a variable to each element of a list: Any, All, Count, Sum.
    static constexpr bool binds(NodeOp op) { return op >= NodeOp::Any && op <= NodeOp::Sum; }
    /// A comparison of two children: Eq, Ne, Lt, Le, Gt, Ge.
    static constexpr bool compares(NodeOp op) { return op >= NodeOp::Eq && op <= NodeOp::Ge; }

    /// Const: the value.
    const Value& constant() const { CORDON_NODE_VALID(op == NodeOp::Const); return k_; }
    /// Attribute reads (reads_attribute): the root slot, or for element reads the field's
    /// slot within an element.
    std::int32_t slot() const { CORDON_NODE_VALID(reads_attribute(op)); return a_; }
    /// Element reads (reads_element): the variable bound to the element; Any, All, Count,
    /// Sum (binds): the variable they bind.
    std::int32_t variable() const { CORDON_NODE_VALID(reads_element(op) || binds(op)); return b_; }
    /// Attribute reads: the attribute's id (what an absent-attribute error names).
    std::uint32_t attribute() const {
        CORDON_NODE_VALID(reads_attribute(op));
        if (op == NodeOp::ElemEqStr) return k_.aux;
        return reads_element(op) ? k_.s : static_cast<std::uint32_t>(b_);
    }
    /// LetRef: the let (Program::lets) it reads, and its cache slot.
    std::int32_t let() const { CORDON_NODE_VALID(op == NodeOp::LetRef); return a_; }
    /// InSet: the set its child is tested against.
    std::uint32_t set() const { CORDON_NODE_VALID(op == NodeOp::InSet); return static_cast<std::uint32_t>(a_); }
    /// AttrInSet, ElemInSet: the set the attribute is tested against.
    std::uint32_t fused_set() const { CORDON_NODE_VALID(op == NodeOp::AttrInSet || op == NodeOp::ElemInSet); return k_.aux; }
    /// InList, Any, All, Count, Sum: the list attribute.
    std::int32_t list() const { CORDON_NODE_VALID(op == NodeOp::InList || binds(op)); return a_; }
    /// InTable, Lookup: the table.
    std::int32_t table() const { CORDON_NODE_VALID(op == NodeOp::InTable || op == NodeOp::Lookup); return a_; }
    /// Lookup: the column read.
    std::int32_t column() const { CORDON_NODE_VALID(op == NodeOp::Lookup); return b_; }
    /// Eq ... Ge (compares): the type of both operands.
    Type operand_type() const { CORDON_NODE_VALID(compares(op)); return static_cast<Type>(b_); }
    /// AttrCmpNum, AttrEqStr, ElemEqStr: the comparison (Eq ... Ge; Eq or Ne for strings).
    NodeOp comparison() const {
        CORDON_NODE_VALID(op == NodeOp::AttrCmpNum || op == NodeOp::AttrEqStr || op == NodeOp::ElemEqStr);
        return sub_;
    }
    /// AttrCmpNum: the number compared with.
    double number() const { CORDON_NODE_VALID(op == NodeOp::AttrCmpNum); return k_.n; }
    /// AttrEqStr, ElemEqStr: the string (its id) compared with.
    std::uint32_t string_id() const { CORDON_NODE_VALID(op == NodeOp::AttrEqStr || op == NodeOp::ElemEqStr); return k_.s; }

    // Named constructors (the compiler's). Children are given to Compiler::push.
    static Node make(NodeOp op, Type type) {
        Node n;
        n.op = op;
        n.type = type;
        return n;
    }
    static Node make_constant(Value v, Type type) {
        Node n = make(NodeOp::Const, type);
        n.k_ = v;
        return n;
    }
    /// Attr, AttrTrue and the root fused forms; Elem and the element fused forms (`variable`).
    static Node make_read(NodeOp op, Type type, std::int32_t slot, std::uint32_t attribute, std::int32_t variable = -1) {
        Node n = make(op, type);
        n.a_ = slot;
        if (!reads_element(op)) {
            n.b_ = static_cast<std::int32_t>(attribute);
            return n;
        }
        n.b_ = variable;
        if (op == NodeOp::Elem) n.k_ = Value::string(attribute);  // (the attribute id, for errors)
        else if (op == NodeOp::ElemEqStr) n.k_.aux = attribute;
        else n.k_.s = attribute;
        return n;
    }
    static Node make_let(std::int32_t let, Type type) {
        Node n = make(NodeOp::LetRef, type);
        n.a_ = let;
        return n;
    }
    /// Eq ... Ge over operands of type `operands`.
    static Node make_comparison(NodeOp op, Type operands) {
        Node n = make(op, Type::Bool);
        n.b_ = static_cast<std::int32_t>(operands);
        return n;
    }
    /// InSet, InList, InTable (`ref` the set, list or table), Lookup (`ref` the table, `second`
    /// the column), Any, All, Count, Sum (`ref` the list, `second` the variable).
    static Node make_ref(NodeOp op, Type type, std::int32_t ref, std::int32_t second = -1) {
        Node n = make(op, type);
        n.a_ = ref;
        n.b_ = second;
        return n;
    }
    /// The fused forms' own operands: AttrInSet, ElemInSet (the set), AttrCmpNum (the
    /// comparison and number), AttrEqStr, ElemEqStr (the comparison and string id).
    Node& with_fused_set(std::uint32_t set) { k_.aux = set; return *this; }
    Node& with_number(NodeOp comparison, double x) {
        const std::uint32_t aux = k_.aux;
        k_ = Value::number(x);
        k_.aux = aux;
        sub_ = comparison;
        return *this;
    }
    Node& with_string(NodeOp comparison, std::uint32_t id) {
        k_.s = id;
        k_.tag = Value::Tag::String;
        sub_ = comparison;
        return *this;
    }
    /// LetRef: reads `let` instead (the planner re-points a read at the let holding the
    /// rewritten body).
    Node& with_let(std::int32_t let) {
        CORDON_NODE_VALID(op == NodeOp::LetRef);
        a_ = let;
        return *this;
    }
};

/// One conjunct of a rule's plan, and its place among the conjuncts as written: a rule
/// whose conjuncts fail reports the leftmost one's error, as its `when` tree would.
struct PlanStep {
    std::int32_t node = -1;
    std::int32_t order = 0;
    bool negate = false;  // the conjunct is `not <node>`
};

/// A compiled rule: root nodes of `when`/`unless` (the trees, for `explain` and tools),
/// its plan (what `decide` runs: see engine/src/passes/plan.cpp) and its activity window.
struct alignas(64) ProgramRule {  // (one cache line: a visit reads both ends)
    std::int32_t when = -1;
    std::int32_t unless = -1;
    std::uint32_t plan_first = 0;   // conjuncts of `when`, cheapest first: Program::plan[first, first + count)
    std::uint32_t plan_count = 0;
    std::int32_t plan_unless = -1;  // `unless`, rewritten like the conjuncts
    /// The first `plan_pinned` conjuncts are the pins the rule is indexed under
    /// (engine/src/index/index.cpp): true whenever the index lookup finds the rule, so a rule
    /// found that way starts its plan after them.
    std::uint32_t plan_pinned = 0;
    ast::Effect effect = ast::Effect::Deny;
    Status status = Status::InForce;
    std::int32_t effective = std::numeric_limits<std::int32_t>::min();
    std::int32_t sunset = std::numeric_limits<std::int32_t>::max();
    /// Twins (engine/src/passes/twins.cpp): a rule whose plan, `unless`, status and window equal an
    /// earlier rule's decides as that rule (its head) does, on every request. A twin has
    /// `twin_of` = its head and is never indexed; a head lists its twins in
    /// Program::twins[twins_first, twins_first + twins_count).
    std::int32_t twin_of = -1;
    std::uint32_t twins_first = 0;
    std::uint32_t twins_count = 0;
    std::uint8_t effects = 0;  // a bit per ast::Effect of the rule and its twins
    /// Threshold families (engine/src/passes/families.cpp): rules whose plans, status, window and
    /// guards are the same but for one threshold's constant. The least demanding (the
    /// leader) is indexed and evaluated; each other member has `family_of` = the leader and
    /// is listed in Program::family[family_first, family_first + family_count) with its
    /// own threshold conjunct, compared only when the leader's `when` is not false.
    std::int32_t family_of = -1;
    std::uint32_t family_first = 0;
    std::uint32_t family_count = 0;
};

/// A member of a threshold family: the rule, its threshold conjunct `operand <op> constant`
/// (a node), and that conjunct's parts (the operand is the same node for every member).
struct FamilyMember {
    std::uint32_t rule = 0;
    std::int32_t threshold = -1;
    std::int32_t operand = -1;
    NodeOp op = NodeOp::Ge;
    double constant = 0;
};

/// A list attribute at run time: how many values each element holds.
struct ProgramList {
    std::int32_t stride = 1;
};

/// Hashes std::string and std::string_view alike, so look-ups by view never allocate.
struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

/// Rules as the words of a bitmap over rule indices that have a bit set: making them all
/// candidates costs one OR per word, not one per rule.
struct RuleWord {
    std::uint32_t word = 0;
    std::uint64_t bits = 0;
};
/// The words of `rules` (sorted, no duplicates).
inline std::vector<RuleWord> rule_words(const std::vector<std::uint32_t>& rules) {
    std::vector<RuleWord> out;
    for (const auto r : rules) {
        if (out.empty() || out.back().word != r / 64) out.push_back({r / 64, 0});
        out.back().bits |= std::uint64_t{1} << (r % 64);
    }
    return out;
}

/// What one column of a rule-index key looks a request up by (RuleIndex::Column).
enum class IndexColumnKind : std::uint8_t {
    String,    // a root string attribute: code = its string id
    Bool,      // a root bool attribute: code = 0 or 1
    NonEmpty,  // a list, for `any x in list: ...`: code = 1 when it has elements
    SomeInSet, // a list, for `any x in list: x.f in S` and `sum(x in list where x.f in S: ...) >= c`
               // (c > 0): code = 1 when some element's field `elem` is in S (`values`)
};

/// Rule indexing (engine/src/index/index.cpp): a rule whose `when` has conjuncts such as
/// `customer.country in D5`, `resource.chip == "A100"` and `not customer.identity_verified`
/// can only fire when those attributes hold those values, so it is filed under the
/// combination (country, chip, verified) and visited only for requests that have one of
/// them. A key has one to three columns; each key has an open-addressing table from its
/// columns' codes, packed into 64 bits, to rules.
struct RuleIndex {
    /// One column of a key: what the request is looked up by.
    struct Column {
        using Kind = IndexColumnKind;
        Kind kind = Kind::String;
        std::int32_t slot = -1;  // root slot (String, Bool) or list (NonEmpty, SomeInSet)
        std::int32_t elem = -1;  // SomeInSet: the field's slot within an element
        std::uint32_t stride = 1;  // SomeInSet: values per element
        /// String: a bitset over string ids, the values some rule is filed under (SomeInSet:
        /// the set S). Small
        /// enough to stay in cache, it spares the (large) table a look-up that would
        /// miss, e.g. for "US", which no rule pins.
        std::vector<std::uint64_t> values;
        std::uint8_t codes = 0;  // Bool, NonEmpty: a bit per code some rule is filed under
        /// The rules to visit when the request lacks this attribute (and the columns
        /// before it match): their pin fails, and a failing rule must be seen (fail
        /// closed). Not those that also require `has` of it: they are false. SomeInSet:
        /// no element's field is in S, and some element lacks it.
        std::vector<RuleWord> absent;
    };
    std::vector<Column> columns;  // 1 to kMaxColumns, sorted by (kind, slot)
    struct Bucket {
        std::uint64_t key = ~std::uint64_t{0};  // packed codes (see key_of); all ones: empty
        std::uint32_t begin = 0;                // rules[begin, begin + count)
        std::uint32_t count = 0;
        /// count == 1: the one word, here (the rules of a key are most often in one
        /// word: the look-up then reads no second array).
        RuleWord one;
    };
    std::vector<Bucket> table;  // size a power of two
    /// A one-bit-per-hash filter over the keys (about eight bits a key, a power of
    /// two): small enough to stay in the first-level cache, it answers most look-ups of
    /// a key no rule is filed under without reading the (larger) table.
    /// Defaults to one zero word (64 bits, shift 58): an index nobody filled answers
    /// every look-up with "none" rather than reading out of bounds.
    std::vector<std::uint64_t> filter = std::vector<std::uint64_t>(1, 0);
    std::uint32_t filter_shift = 58;  // bit = key's product >> filter_shift
    std::vector<RuleWord> rules;
    static constexpr std::size_t kMaxColumns = kMaxIndexColumns;
    static constexpr unsigned kCodeBits = 21;  // string ids at or above 2^21 are never pinned
    static constexpr std::uint32_t kMaxCode = (1u << kCodeBits) - 1;
    /// Is bit `v` set in `bits` (`words` long)?
    static bool holds(const std::uint64_t* bits, std::uint32_t words, std::uint32_t v) {
        return (v >> 6) < words && ((bits[v >> 6] >> (v & 63)) & 1);
    }
    /// Column `column`'s code in a key.
    static std::uint64_t key_part(std::size_t column, std::uint32_t code) {
        return std::uint64_t{code} << (kCodeBits * column);
    }
    static std::uint64_t product(std::uint64_t key) { return key * 0x9E3779B97F4A7C15ull; }
    static std::uint64_t hash(std::uint64_t key) { return product(key) >> 32; }
    /// May some rule be filed under `key`? (No: none is.)
    bool maybe(std::uint64_t key) const {
        const std::uint64_t bit = product(key) >> filter_shift;
        return (filter[bit >> 6] >> (bit & 63)) & 1;
    }
    /// The rules filed under `key`, or an empty range.
    std::pair<const RuleWord*, const RuleWord*> find(std::uint64_t key) const {
        if (!maybe(key)) return {nullptr, nullptr};
        const std::uint64_t mask = table.size() - 1;
        for (std::uint64_t h = hash(key) & mask;; h = (h + 1) & mask) {
            const Bucket& k = table[h];
            if (k.key == key) {
                if (k.count == 1) return {&k.one, &k.one + 1};
                return {rules.data() + k.begin, rules.data() + k.begin + k.count};
            }
            if (k.key == ~std::uint64_t{0}) return {nullptr, nullptr};
        }
    }
};
/// Rules tied to one root attribute's presence.
struct SlotRules {
    std::int32_t slot = -1;
    std::vector<RuleWord> rules;
};
/// A number distinct for every Program made in this process (see Program::generation).
std::uint64_t next_program_generation();

class Program {
public:
    /// Identifies this compilation: a Request remembers the generation it was decoded for,
    /// so a request is never decided by another program's evaluator (Session::decide).
    std::uint64_t generation = next_program_generation();
    std::vector<Node> nodes;
    std::vector<std::int32_t> kids;
    /// Child `i` of `n` (a node index).
    std::int32_t kid(const Node& n, std::uint32_t i) const {
        assert(i < n.kid_count());
        return kids[n.first_kid() + i];
    }
    /// The children of `n`, in order.
    std::span<const std::int32_t> kids_of(const Node& n) const { return {kids.data() + n.first_kid(), n.kid_count()}; }
    std::vector<Span> node_spans;         // parallel to nodes: the source text each node computes
    std::vector<ProgramRule> rules;       // parallel to CheckedPolicySet::rules (sorted by id)
    std::vector<std::uint32_t> rule_policy;  // parallel to rules: the index of each rule's policy
    std::vector<std::int32_t> lets;       // root node of each shared let (then the plans' own lets)
    std::vector<PlanStep> plan;           // every rule's plan, back to back
    std::vector<std::uint32_t> twins;     // every head's twins, back to back (see ProgramRule::twin_of)
    std::vector<FamilyMember> family;     // every leader's members, back to back (see ProgramRule::family_of)
    /// The days on which some rule's window opens or closes, sorted: between two of them the
    /// rules active under a status mask stay the same (the evaluator keeps that set).
    std::vector<std::int32_t> window_bounds;
    /// Guards: lets that many rules require (`when advanced_ic and ...`). Per rule, a bit per
    /// guard among its conjuncts. Once some rule has computed a guard and found it false,
    /// every other rule requiring it is skipped without being touched. (Guards are never
    /// computed just to skip: the plan's order decides what is worth computing.)
    std::vector<std::int32_t> guards;         // the let of each guard (at most 64)
    /// A let whose value depends on one string attribute (the key) once some other
    /// attributes are absent, e.g. the chip classification when a request names the chip
    /// but gives no figures: its values, worked out at compile time for every string; one
    /// table per window of days (Program::set_epochs) when the let reads dated data.
    struct KeyTable {
        std::int32_t key_slot = -1;
        std::vector<std::int32_t> absent_slots;  // the table applies when all of these are absent
        struct Values {
            std::vector<std::pair<std::uint32_t, Value>> values;  // string id -> value, sorted; the rest are `other`
            std::vector<Value> by_id;  // the same, by string id, when the program has few strings (else empty)
            Value other;   // any string no policy names, or one that behaves like it
            Value absent;  // the key attribute absent
        };
        std::vector<Values> windows;  // one (the let reads no dated data), or one per window
        // Per window: its `other` holds the key itself, as its string value or as the key a
        // table lacks (kMissingTableKey's string id). It was worked out for a stand-in id,
        // and is given the request's own key when read (other_for), never the stand-in.
        // (Apart from Values, which the look-up of a known string reads: kept small.)
        std::vector<std::uint8_t> other_names_key;
        void other_for(std::uint32_t window, std::uint32_t key, Value& out) const {
            const std::uint32_t w = windows.size() == 1 ? 0 : window;
            if (other_names_key[w]) [[unlikely]]
                out = with_key(windows[w].other, key);
            else
                out = windows[w].other;
        }
        // (Out of line, and whole: written field by field in place, the value made the
        // compiler keep every let's value in pieces, 2 instructions more a let read.)
        [[gnu::noinline]] static Value with_key(Value v, std::uint32_t key) {
            if (v.tag == Value::Tag::String) v.s = key;
            else v.aux = key;
            return v;
        }
        static constexpr std::size_t kMaxDense = 4096;  // strings for which `by_id` is kept
        /// The values for the day in `window` (Program::set_window).
        const Values& in_window(std::uint32_t window) const { return windows.size() == 1 ? windows[0] : windows[window]; }
        /// The let's value for `root` on a day in `window`, or false when the table does not apply.
        bool lookup(const std::vector<Value>& root, std::uint32_t window, Value& out) const {
            for (const auto s : absent_slots)
                if (root[s].present()) return false;
            const Values& t = in_window(window);
            const Value& key = root[key_slot];
            if (!key.present()) {
                out = t.absent;
            } else if (!t.by_id.empty()) {
                if (key.s < t.by_id.size()) out = t.by_id[key.s];
                else other_for(window, key.s, out);
            } else {
                auto it = std::lower_bound(t.values.begin(), t.values.end(), key.s,
                                           [](const auto& e, std::uint32_t id) { return e.first < id; });
                if (it != t.values.end() && it->first == key.s) out = it->second;
                else other_for(window, key.s, out);
            }
            return true;
        }
    };
    std::vector<KeyTable> key_tables;
    std::vector<std::int32_t> let_key_table;  // per let: its KeyTable, or -1
    std::vector<std::uint64_t> rule_guards;   // per rule
    std::vector<std::string> strings;     // interned constants; request strings not here get ids >= size()
    std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> string_ids;
    // Sets as bitsets over string ids. Dated data (`KH: {until: 2025-11-07}`, a table's
    // dated rows) makes a set's members and a table's rows depend on the day: the days on
    // which any member joins or leaves, or any row starts or ends, cut time into windows
    // (`set_epochs`, sorted; window w runs from set_epochs[w-1] to set_epochs[w]), and
    // every set holds one bitset per window, back to back; a table with dated rows holds
    // one key-to-row map per window (TableData). Without dated data there is one window.
    std::vector<std::uint64_t> set_bits;  // all sets' bitsets, back to back
    std::vector<std::uint32_t> set_offset;  // word offset of each set's first window in set_bits
    std::vector<std::uint32_t> set_words;   // words in each window of each set
    std::vector<std::int32_t> set_epochs;   // days some dated member or row starts or ends, sorted, unique
    std::uint32_t set_windows() const { return static_cast<std::uint32_t>(set_epochs.size()) + 1; }
    /// The window holding `day`: the number of epochs on or before it (a binary search:
    /// data may hold thousands of dates).
    std::uint32_t set_window(std::int32_t day) const {
        return static_cast<std::uint32_t>(std::upper_bound(set_epochs.begin(), set_epochs.end(), day) - set_epochs.begin());
    }
    /// Set `set`'s bitset in window `window`.
    const std::uint64_t* set_bitset(std::uint32_t set, std::uint32_t window) const {
        return set_bits.data() + set_offset[set] + static_cast<std::size_t>(window) * set_words[set];
    }
    /// The members set `set` has in any window (the rule index files rules under these).
    std::vector<std::uint64_t> set_union(std::uint32_t set) const {
        std::vector<std::uint64_t> out(set_bitset(set, 0), set_bitset(set, 0) + set_words[set]);
        for (std::uint32_t w = 1; w < set_windows(); ++w)
            for (std::uint32_t i = 0; i < set_words[set]; ++i) out[i] |= set_bitset(set, w)[i];
        return out;
    }
    /// Whether set `set`'s members differ between windows (dated data).
    bool set_varies(std::uint32_t set) const {
        for (std::uint32_t w = 1; w < set_windows(); ++w)
            if (!std::equal(set_bitset(set, 0), set_bitset(set, 0) + set_words[set], set_bitset(set, w))) return true;
        return false;
    }
    /// A data table: rows of cells, and which row a key holds. With dated rows, one
    /// key-to-row map per window (Program::set_epochs), back to back, `window_stride`
    /// apart; without, one map that every window reads (`window_stride` 0).
    struct TableData {
        std::int32_t columns = 0;
        std::uint32_t keys = 0;            // string ids each map covers
        std::uint32_t window_stride = 0;   // `keys` when some row is dated, else 0
        std::vector<std::int32_t> row_of;  // [window * window_stride + string id] -> row, -1 when not a key then
        std::vector<Value> cells;          // row-major; Absent where a row omits a column
        /// The row key `s` holds in window `window`, or -1.
        std::int32_t row(std::uint32_t window, std::uint32_t s) const {
            return s < keys ? row_of[static_cast<std::size_t>(window) * window_stride + s] : -1;
        }
        bool dated() const { return window_stride != 0; }
    };
    std::vector<TableData> tables;
    std::vector<ProgramList> lists;
    std::int32_t root_slots = 0;
    std::int32_t variable_slots = 0;
    std::int32_t time_attr = -1;          // root slot of `time` when the schema declares it
    DefaultEffect default_effect = DefaultEffect::Allow;
    OnError on_error = OnError::Deny;
    std::uint8_t enforce_mask = 1;        // bit per Status enforced by default
    std::vector<std::int32_t> attr_slot;  // attribute id -> slot (root or within element)
    /// Per attribute id: does any rule, let or message read it? The decoder checks the
    /// type of an attribute nobody reads but does not convert or intern its value.
    std::vector<std::uint8_t> attr_read;
    /// Per rule, the `because` message: literal text, or a node to interpolate (text empty).
    struct MessagePart {
        std::string text;
        std::int32_t node = -1;
    };
    std::vector<std::vector<MessagePart>> messages;

    /// The id of a string, or `npos` when no policy mentions it.
    static constexpr std::uint32_t npos = std::numeric_limits<std::uint32_t>::max();
    std::uint32_t find_string(std::string_view s) const {
        if (string_slots.empty()) {
            auto it = string_ids.find(s);
            return it == string_ids.end() ? npos : it->second;
        }
        for (std::uint64_t h = hash_string(s) & string_mask;; h = (h + 1) & string_mask) {
            const std::uint32_t id = string_slots[h];
            if (id == npos) return npos;
            if (strings[id] == s) return id;
        }
    }
    /// FNV-1a: short keys (country codes, chip names) hash in a few cycles.
    static std::uint64_t hash_string(std::string_view s) {
        std::uint64_t h = 1469598103934665603ull;
        for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
        return h ^ (h >> 29);
    }
    /// Builds the open-addressing table behind find_string (the compiler calls it last).
    void index_strings() {
        std::uint64_t size = 16;
        while (size < strings.size() * 2 + 1) size <<= 1;
        string_slots.assign(size, npos);
        string_mask = size - 1;
        for (std::uint32_t id = 0; id < strings.size(); ++id) {
            std::uint64_t h = hash_string(strings[id]) & string_mask;
            while (string_slots[h] != npos) h = (h + 1) & string_mask;
            string_slots[h] = id;
        }
    }
    using RuleIndex = cordon::RuleIndex;
    std::vector<RuleIndex> indexes;
    using SlotRules = cordon::SlotRules;
    /// Rules with no pin but a conjunct `has x` (or `has x and x`): visited only when the
    /// request gives x, since otherwise that conjunct is false.
    std::vector<SlotRules> when_present;
    std::vector<std::uint32_t> unindexed;  // rules visited for every request (sorted)

    std::vector<std::uint32_t> string_slots;
    std::uint64_t string_mask = 0;
};

/// Compiles a checked policy set. Lets become shared nodes, constants fold; `options`
/// switches passes off (the decisions stay the same).
std::shared_ptr<const Program> compile(const CheckedPolicySet& set, const CompileOptions& options = {});

}  // namespace cordon
