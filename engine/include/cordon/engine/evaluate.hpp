// The evaluator: runs a Program over a Request and fills a Decision. One per thread.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

#include "cordon/dsl/checked.hpp"
#include "cordon/engine/decision.hpp"
#include "cordon/engine/native.hpp"
#include "cordon/engine/request.hpp"

namespace cordon {

// The compiled program and the parts of it the Evaluator points to. Their definitions are
// private to the engine (engine/src/program/program.hpp); a caller holds an Evaluator, never
// one of these (engine/README.md, "What is public").
class Program;
struct Node;
struct ProgramRule;
struct RuleWord;
struct RuleIndex;
struct SlotRules;
enum class IndexColumnKind : std::uint8_t;
/// The most columns a rule-index key has (the Evaluator probes that many per index).
inline constexpr std::size_t kMaxIndexColumns = 3;

/// The bit of a status in a status mask (EvalOptions::statuses, PolicySet::enforce_mask).
constexpr std::uint8_t status_bit(Status s) { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(s)); }

/// What to evaluate against: the day (`as_of`), which statuses are enforced, and the
/// policies enforced whatever their status (`--include-policy`). A rule is active when its
/// policy's status is enforced or its policy is included, and `effective <= as_of < sunset`.
struct EvalOptions {
    std::int32_t as_of = 0;
    TimeSource time_source = TimeSource::Option;  // where `as_of` came from (the decision says)
    std::uint8_t statuses = status_bit(Status::InForce);
    /// Sorted indices into CheckedPolicySet::policies, or null for none. Not owned: the
    /// caller keeps the list alive and unchanged while it decides with these options (and
    /// while it writes that decision: Decision::policies points to it). Refilling one list
    /// between decisions is fine: an Evaluator compares the list's content, not its address.
    const std::vector<std::uint32_t>* policies = nullptr;
    /// Is policy `p` (of status `s`) enforced under these options?
    bool enforces(std::uint32_t p, Status s) const {
        return (statuses & status_bit(s)) || (policies && std::binary_search(policies->begin(), policies->end(), p));
    }
};

/// Per-thread scratch space (shared-let cache, bound variables). Construct once per
/// thread and program; `decide` then allocates nothing once the Decision is warm.
class Evaluator {
public:
    explicit Evaluator(const Program& program);
    ~Evaluator();
    Evaluator(Evaluator&&) noexcept;
    void decide(const Request& request, const EvalOptions& options, Decision& out);
    /// Evaluates one node for `request` (tools: explain, tests). Resets the let cache first
    /// unless `keep_cache`. Dated set members count as of the day of the last `decide`
    /// (or of `set_day`).
    Value evaluate(const Request& request, std::int32_t node, bool keep_cache = false);
    /// The day dated set members are taken on by `evaluate` (`decide` sets it from its options).
    void set_day(std::int32_t day);
    const Program& program() const { return program_; }

    /// Records the value of every node evaluated (for `explain`): `values[node]` and
    /// `seen[node] == stamp` for nodes evaluated since `stamp` was set. Off by default.
    struct Trace {
        std::vector<Value> values;
        std::vector<std::uint32_t> seen;
        std::uint32_t stamp = 1;
    };
    void set_trace(Trace* trace) { trace_ = trace; }
    /// Visit every active rule instead of only the indexed candidates (for `explain`,
    /// which shows every rule's conditions). The decision is the same either way.
    void set_visit_all(bool all) {
        visit_all_ = all;
        on_own_ = visit_all_ || active_split_;
    }
    /// Run the rules' plans as `code` (made from this evaluator's program; see native.hpp)
    /// instead of walking their trees; null goes back to the tree walk. The decisions are
    /// the same. `code` must outlive the evaluator's use of it.
    void set_native(const NativeCode* code) { native_ = code; }

    /// Counters of the two caches' rare work, for tests (each bumped only when that work is
    /// done, never on the per-request path): how many times the active rules were worked
    /// out (the first decision, then when the statuses, policies or window of days change),
    /// and how many times the let cache was cleared (its generation wrapped around).
    std::uint64_t active_refreshes() const { return active_refreshes_; }
    std::uint64_t let_cache_clears() const { return let_cache_clears_; }

private:
    // `Traced` is a template parameter so that the untraced hot path tests nothing for it.
    template <bool Traced>
    Value eval(std::int32_t node) {
        const Value v = eval_node<Traced>(node);
        if constexpr (Traced) {
            trace_->values[node] = v;
            trace_->seen[node] = trace_->stamp;
            trace_operand(node);
        }
        return v;
    }
    Value eval_any(std::int32_t node) { return trace_ ? eval<true>(node) : eval<false>(node); }
    void trace_operand(std::int32_t node);
    template <bool Traced>
    Value eval_node(std::int32_t node);
    template <bool Traced>
    [[gnu::noinline]] Value eval_inner(const Node& n);
    template <bool Traced>
    [[gnu::noinline]] Value eval_let(std::int32_t let);
    /// Quantifiers over one element field's membership in a set, without the general
    /// loop's binding and dispatch (see evaluate.cpp).
    Value quantify_in_set(const Node& body, Request::ListSpan span, std::uint32_t stride, bool want) const;
    Value total_in_set(const Node& cond, const Node* value, Request::ListSpan span, std::uint32_t stride) const;
    /// A rule's `when` by its plan from conjunct `first` on: false at the first false
    /// conjunct, else the leftmost error.
    Value eval_plan(const ProgramRule& rule, std::uint32_t first);
    struct Effects {
        std::uint8_t effects = 0;  // a bit per ast::Effect of the rules fired
    };
    [[gnu::noinline]] void settle(std::uint32_t rule, const Value& outcome, bool twins, Decision& out, Effects& fx);
    // How a rule's conditions run: its plan by the tree walk, native code, or its trees
    // traced for `explain`. A template parameter: the hot loop tests nothing for it.
    enum class Mode { Plan, Native, Traced };
    template <Mode M>
    void settle_family(const ProgramRule& leader, const Value& when, Decision& out, Effects& fx);
    template <Mode M>
    bool passes_unless(std::uint32_t i, const ProgramRule& r, Value& v);
    template <Mode M>
    void run_rule(std::uint32_t i, std::uint32_t first, bool heads, Decision& out, Effects& fx);
    template <Mode M>
    void run_candidates(Decision& out, Effects& fx);
    void run_all(const EvalOptions& options, Decision& out, Effects& fx);
    bool guarded_out(std::uint32_t rule) const;
    void bind_native(const Request& request);
    Verdict verdict_of(const Effects& fx, const Decision& out) const;
    Trace* trace_ = nullptr;
    bool visit_all_ = false;
    const NativeCode* native_ = nullptr;
    static constexpr std::size_t kNativeScan = 128;  // rules: see decide
    NativeContext native_context_;
    static int compare_text(const void* evaluator, std::uint32_t a, std::uint32_t b);

    const Program& program_;
    const Request* request_ = nullptr;
    const Node* nodes_;         // program_.nodes.data(): the program is immutable
    const std::int32_t* kids_;  // program_.kids.data()
    struct LetCache {
        Value value;
        std::uint32_t generation = 0;  // the value is this request's when equal to generation_
    };
    std::vector<LetCache> let_;
    std::uint32_t window_ = 0;      // Program::set_window of the day decided (dated set members)
    std::uint32_t generation_ = 1;  // (not 0: a fresh cache entry, generation 0, is never taken for a value)
    std::uint64_t let_cache_clears_ = 0;
    void next_generation();         // a fresh let cache for the next request (evaluate.cpp)
    std::vector<const Value*> vars_;
    std::vector<std::uint64_t> candidates_;  // bitmap over rules, all zero between decisions
    std::vector<std::uint64_t> summary_;     // a bit per word of candidates_ that has a bit set
    std::vector<std::uint64_t> unpinned_;    // candidates not found by the index (absent key attributes): full plans
    // The rules active under the last options (not twins), and the unindexed ones among
    // them; valid for that status mask within that window (see Program::window_bounds).
    std::vector<std::uint64_t> active_;
    std::vector<RuleWord> active_unindexed_;
    std::vector<const SlotRules*> active_present_;  // those holding active rules
    /// An index holding active rules, flattened for the look-up in `decide` (raw pointers
    /// and sizes: no vector indirections in the loop that probes every index).
    struct ProbeColumn {
        IndexColumnKind kind{};
        std::uint8_t codes = 0;  // Bool, NonEmpty: the codes some rule is filed under
        std::int32_t slot = -1;
        std::int32_t elem = -1;                 // SomeInSet: the field, and values per element
        std::uint32_t stride = 1;
        std::uint32_t words = 0;                // String: the bitset of values some rule is filed under (SomeInSet: S)
        const std::uint64_t* values = nullptr;
        const RuleWord* absent_first = nullptr;  // the rules to visit when the attribute is absent
        const RuleWord* absent_last = nullptr;
    };
    struct IndexProbe {
        ProbeColumn columns[kMaxIndexColumns];  // the String columns first
        std::uint32_t strings = 0;  // String columns
        std::uint32_t count = 0;
        const RuleIndex* index = nullptr;
    };
    std::vector<IndexProbe> active_indexes_;
    // The candidates (index/candidates.hpp, .cpp): the rules a decision visits.
    void refresh_active(const EvalOptions& options, std::uint32_t window);
    void ensure_active(const EvalOptions& options);
    void mark_candidates(const Request& request);
    void probe(const IndexProbe& ix, const Request& request);
    void mark(const RuleWord* first, const RuleWord* last);
    void mark_absent(const ProbeColumn& col);
    bool active_valid_ = false;
    /// Under the last options, some twin or family member is enforced and its head is not,
    /// or the other way round (a policy included by name): decide every rule on its own.
    bool active_split_ = false;
    bool on_own_ = false;  // visit_all_ || active_split_: decide every active rule on its own
    std::uint64_t active_refreshes_ = 0;
    std::uint8_t active_statuses_ = 0;
    /// A copy of the policies included by name (empty for none), compared by content: a
    /// caller may refill one list between decisions, and a pointer would not see it.
    std::vector<std::uint32_t> active_policies_;
    bool active_by_name_ = false;  // active_policies_ is not empty
    bool same_policies(const EvalOptions& options) const {
        return options.policies ? *options.policies == active_policies_ : !active_by_name_;
    }
    std::uint32_t active_window_ = 0;
};

}  // namespace cordon
