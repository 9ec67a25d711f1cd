// PolicySet: the facade. Load a directory once (manifest, schema, data, rules, compile),
// then decide many requests from any number of threads.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cordon/dsl/checked.hpp"
#include "cordon/dsl/diagnostic.hpp"
#include "cordon/engine/decision.hpp"
#include "cordon/engine/decode.hpp"
#include "cordon/engine/evaluate.hpp"
#include "cordon/engine/compile_options.hpp"
#include "cordon/engine/reference.hpp"
#include "cordon/engine/request.hpp"
#include "cordon/engine/request_time.hpp"

namespace cordon {

class PolicySet;

/// The rules a decision did not enforce, and why: `check`, `explain`, `timeline` and `test`
/// say so in one line, and the JSON decision carries it, so a skipped draft is never silent.
struct NotEnforced {
    std::uint32_t by_status[5] = {};      // rules whose policy's status was not enforced, per Status
    std::uint32_t not_yet_effective = 0;  // status enforced, the day before `effective`
    std::uint32_t past_sunset = 0;        // status enforced, the day on or after `sunset`
    std::uint32_t total() const {
        std::uint32_t n = not_yet_effective + past_sunset;
        for (auto c : by_status) n += c;
        return n;
    }
    /// "12 rules: 5 proposed, 4 bill (add --include proposed,bill); 3 not yet effective",
    /// or "" when every rule was enforced.
    std::string text() const;
};

/// The outcome of loading: the set (null on error), every diagnostic, and the sources
/// the diagnostics point into.
struct LoadResult {
    std::shared_ptr<const PolicySet> set;
    Diagnostics diagnostics;
    std::shared_ptr<SourceMap> sources;
};

/// A compiled, immutable policy set. Thread-safe: share it; give each thread its own
/// Evaluator, RequestDecoder, Request and Decision (see `Session`). Always owned by a
/// shared_ptr (load, from_checked); to replace it while serving, see Live (live.hpp).
class PolicySet : public std::enable_shared_from_this<PolicySet> {
public:
    /// Loads and compiles a directory; a set past `limits` does not load (E0306), and the
    /// set's sessions decode requests under the same limits (docs/limits.md). `options`:
    /// the compiler's passes (all by default; see CompileOptions).
    static LoadResult load(const std::string& dir, const Limits& limits = {}, const CompileOptions& options = {});
    static LoadResult load(const std::string& dir, const CompileOptions& options) { return load(dir, Limits{}, options); }
    /// Compiles an already checked set (tools that load and check themselves).
    static std::shared_ptr<const PolicySet> from_checked(CheckedPolicySet checked,
                                                         std::shared_ptr<SourceMap> sources,
                                                         const Limits& limits = {},
                                                         const CompileOptions& options = {});
    static std::shared_ptr<const PolicySet> from_checked(CheckedPolicySet checked, std::shared_ptr<SourceMap> sources,
                                                         const CompileOptions& options) {
        return from_checked(std::move(checked), std::move(sources), Limits{}, options);
    }

    const CheckedPolicySet& checked() const { return checked_; }
    /// The compiled program, for the engine's own tools (its type is private to the engine:
    /// a caller passes it on, e.g. to NativeCode, and reads it through the accessors below).
    const Program& program() const { return *program_; }
    /// Identifies this compilation (Request::program_generation, Session::decide).
    std::uint64_t program_generation() const;
    /// The statuses the manifest enforces, a bit per Status (status_bit).
    std::uint8_t enforce_mask() const;
    /// How many rules the set holds (CheckedPolicySet::rules; indices in decisions are below it).
    std::size_t rule_count() const { return checked_.rules.size(); }
    const SourceMap& sources() const { return *sources_; }
    const std::string& name() const { return checked_.manifest.name; }
    /// The limits requests to this set are decoded under.
    const Limits& limits() const { return limits_; }
    /// "sha256:<hex>" of the canonical text of the checked set.
    const std::string& digest() const { return digest_; }
    /// The digest as people read it: "sha256:" and its first 12 hex digits.
    std::string_view short_digest() const { return std::string_view(digest_).substr(0, 19); }

    /// Options for one evaluation: the day, and the statuses enforced (the manifest's
    /// `enforce` plus `include`). The day is the request's `time`, else `as_of`.
    /// `policies` (sorted policy indices, see policy_index) are enforced whatever their
    /// status; the list is not copied and must outlive the options.
    EvalOptions options(const Request& request, std::int32_t as_of,
                        const std::vector<Status>& include = {},
                        const std::vector<std::uint32_t>* policies = nullptr) const;
    /// The same under the operator's rule for a request's own `time` (`day`; see
    /// request_time.hpp): fills `out` and returns nothing, or returns the input error at
    /// `time` when the rule refuses the request (decide it deny, fail closed) and leaves
    /// `out` alone. The day and where it came from go into every decision.
    std::optional<RequestError> options(const Request& request, const DayPolicy& day, EvalOptions& out,
                                        const std::vector<Status>& include = {},
                                        const std::vector<std::uint32_t>* policies = nullptr) const;

    /// What `d` (or any decision under `options`) left out.
    NotEnforced not_enforced(const Decision& d) const;
    NotEnforced not_enforced(const EvalOptions& options) const;
    /// The names of the policies in `options.policies`, and the index of policy `name`
    /// (-1 when the set has none of that name).
    int policy_index(std::string_view name) const;

    /// The rule's `because` message with `{expr}` holes filled in for this request.
    std::string message(Evaluator& ev, const Request& request, std::uint32_t rule) const;
    /// A sentence for an evaluation error: which rule, which attribute or key.
    std::string error_text(const Request& request, const RuleError& error) const;
    /// A value as text ("CN", "15832", "2024-11-18", "true").
    std::string value_text(const Request& request, const Value& v) const;

    /// The decision as INTERFACES.md JSON (one line, no trailing newline).
    void write_json(Evaluator& ev, const Request& request, const Decision& d, std::string& out) const;
    /// The decision for people; `colour` adds ANSI colours.
    void write_text(Evaluator& ev, const Request& request, const Decision& d, std::string& out,
                    bool colour) const;
    /// The same, with the messages filled by the reference evaluator (`--reference`).
    void write_json(const ReferenceEvaluator& ref, const Request& request, const Decision& d, std::string& out) const;
    void write_text(const ReferenceEvaluator& ref, const Request& request, const Decision& d, std::string& out,
                    bool colour) const;

private:
    template <class Messages>
    void write_json_with(Messages&& message, const Request& request, const Decision& d, std::string& out) const;
    template <class Messages>
    void write_text_with(Messages&& message, const Request& request, const Decision& d, std::string& out,
                         bool colour) const;
    CheckedPolicySet checked_;
    std::shared_ptr<const Program> program_;
    std::shared_ptr<SourceMap> sources_;
    std::string digest_;
    std::vector<std::uint32_t> policy_rules_;  // per policy: how many rules it holds
    Limits limits_;
    // JSON fragments that are the same in every decision, escaped once at load time: per
    // rule `"id"` and `,"cite":"...","status":"..."}`; the set's `{"name":..,"digest":..}`.
    std::vector<std::string> rule_id_json_, rule_tail_json_;
    std::string set_json_;
};

/// One thread's working set for a PolicySet: decoder, request, evaluator, decision.
/// With `use_reference`, `decide` and the writers use the reference evaluator instead of
/// the compiled program (same decisions, slowly: `--reference`). A Session keeps its set
/// alive: dropping every other reference to the set while the session lives is safe.
struct Session {
    explicit Session(const PolicySet& set)
        : keep(set.shared_from_this()), set(set), decoder(set.checked(), set.program(), set.limits()), evaluator(set.program()),
          reference(set.checked(), set.program()), keep_bytes(set.limits().retained_buffer_bytes),
          generation(set.program_generation()) {}
    /// Gives back the memory a large request left in the decoder and the request (buffers
    /// above Limits::retained_buffer_bytes); call after the request is done with.
    void trim() {
        decoder.trim(keep_bytes);
        request.trim(keep_bytes);
    }
    std::shared_ptr<const PolicySet> keep;  // first member: outlives every other
    const PolicySet& set;
    RequestDecoder decoder;
    Request request;
    Evaluator evaluator;
    ReferenceEvaluator reference;
    Decision decision;
    bool use_reference = false;
    std::size_t keep_bytes;
    std::uint64_t generation;  // the set's PolicySet::program_generation

    /// Decides `request` into `decision`. A request decoded for another policy set (or
    /// another version of this one) is not decided: false, and `decision` is a deny with
    /// no rule fired (fail closed); the caller reports the misuse.
    bool decide(const EvalOptions& options) {
        if (!decoded_for_this_set()) {
            decision.clear();
            decision.verdict = Verdict::Deny;
            return false;
        }
        if (use_reference) reference.decide(request, options, decision);
        else evaluator.decide(request, options, decision);
        return true;
    }
    /// True when `request` was last decoded for this session's set.
    bool decoded_for_this_set() const { return request.program_generation() == generation; }
    /// Appends `decision` as JSON (no newline) or as text.
    void write_json(std::string& out) {
        if (use_reference) set.write_json(reference, request, decision, out);
        else set.write_json(evaluator, request, decision, out);
    }
    void write_text(std::string& out, bool colour) {
        if (use_reference) set.write_text(reference, request, decision, out, colour);
        else set.write_text(evaluator, request, decision, out, colour);
    }
};

/// The decision for a request that could not be read or decided: deny, with the reason as
/// its only error (`rule` null, `input` the attribute path or null). `set` may be null.
/// `source`: where `as_of` came from (the operator's day: Option or Clock).
void write_input_error_json(const PolicySet* set, std::string_view id, const std::string* input,
                            std::string_view message, std::int32_t as_of, std::string& out,
                            TimeSource source = TimeSource::Option);

/// Today's date (UTC) as days since 1970-01-01.
std::int32_t today();

}  // namespace cordon
