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
#include "cordon/engine/program.hpp"
#include "cordon/engine/request.hpp"

namespace cordon {

class PolicySet;

/// The outcome of loading: the set (null on error), every diagnostic, and the sources
/// the diagnostics point into.
struct LoadResult {
    std::shared_ptr<const PolicySet> set;
    Diagnostics diagnostics;
    std::shared_ptr<SourceMap> sources;
};

/// A compiled, immutable policy set. Thread-safe: share it; give each thread its own
/// Evaluator, RequestDecoder, Request and Decision (see `Session`).
class PolicySet {
public:
    /// `options`: the compiler's passes (all by default; see CompileOptions).
    static LoadResult load(const std::string& dir, const CompileOptions& options = {});
    /// Compiles an already checked set (tools that load and check themselves).
    static std::shared_ptr<const PolicySet> from_checked(CheckedPolicySet checked,
                                                         std::shared_ptr<SourceMap> sources,
                                                         const CompileOptions& options = {});

    const CheckedPolicySet& checked() const { return checked_; }
    const Program& program() const { return *program_; }
    const SourceMap& sources() const { return *sources_; }
    const std::string& name() const { return checked_.manifest.name; }
    /// "sha256:<hex>" of the canonical text of the checked set.
    const std::string& digest() const { return digest_; }
    /// The digest as people read it: "sha256:" and its first 12 hex digits.
    std::string_view short_digest() const { return std::string_view(digest_).substr(0, 19); }

    /// Options for one evaluation: the day, and the statuses enforced (the manifest's
    /// `enforce` plus `include`). The day is the request's `time`, else `as_of`.
    EvalOptions options(const Request& request, std::int32_t as_of,
                        const std::vector<Status>& include = {}) const;

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

private:
    CheckedPolicySet checked_;
    std::shared_ptr<const Program> program_;
    std::shared_ptr<SourceMap> sources_;
    std::string digest_;
};

/// One thread's working set for a PolicySet: decoder, request, evaluator, decision.
struct Session {
    explicit Session(const PolicySet& set)
        : decoder(set.checked(), set.program()), evaluator(set.program()) {}
    RequestDecoder decoder;
    Request request;
    Evaluator evaluator;
    Decision decision;
};

/// The decision for a request that could not be read or decided: deny, with the reason as
/// its only error (`rule` null, `input` the attribute path or null). `set` may be null.
void write_input_error_json(const PolicySet* set, std::string_view id, const std::string* input,
                            std::string_view message, std::int32_t as_of, std::string& out);

/// Today's date (UTC) as days since 1970-01-01.
std::int32_t today();

}  // namespace cordon
