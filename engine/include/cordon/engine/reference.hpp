// The reference evaluator: the meaning of the language, written once and plainly.
//
// It walks the *checked* policy set (cordon/dsl/checked.hpp) rule by rule, straight from
// ../shared/design/LANGUAGE.md and docs/deviations.md: Kleene logic for errors, absent
// attributes as errors, statuses and effective/sunset windows, `default`, `on_error`,
// messages with holes, dated set members. It uses nothing the compiler makes: no index, no
// fused nodes, no folding, no sharing, no plans, no families, no twins. Strings are
// compared by their text, sets and tables are read from the checked data. One memo only:
// a `let`'s value is worked out once per rule (a let depends on the request and the day
// alone), so that chains of lets that use the previous one twice stay linear.
//
// It is the oracle that every fast path is checked against (tests/unit/differential_test.cpp,
// fuzz/, `cordon check --reference`) and the specification the solver-backed analysis
// encodes. Keep it free of performance tricks: a change here is a change of the language.
#pragma once
#include <cstdint>
#include <string>

#include "cordon/dsl/checked.hpp"
#include "cordon/engine/decision.hpp"
#include "cordon/engine/evaluate.hpp"
#include "cordon/engine/request.hpp"

namespace cordon {

class Program;  // the compiled program: private to the engine (see PolicySet)

/// Decides requests by walking the checked rules. Stateless and cheap to make; safe to
/// share between threads. `program` is used only to read the text of the request's
/// interned strings (Request::text) and to name a string in an error; the set and the
/// program must outlive the evaluator.
class ReferenceEvaluator {
public:
    ReferenceEvaluator(const CheckedPolicySet& set, const Program& program) : set_(set), program_(program) {}

    /// The decision for `request` under `options` (the day and the enforced statuses).
    /// Fills `out` as Evaluator::decide does: fired rules and errors sorted by rule index.
    void decide(const Request& request, const EvalOptions& options, Decision& out) const;
    /// The `because` message of `rule` with its `{...}` holes filled for `request` as of
    /// day `as_of` (a hole that cannot be evaluated prints `<unknown>`).
    std::string message(const Request& request, std::uint32_t rule, std::int32_t as_of) const;
    /// Is `rule` enforced under `options` (status enforced, effective <= as_of < sunset)?
    bool active(std::uint32_t rule, const EvalOptions& options) const;
    /// The value of one checked expression for `request` as of day `as_of` (dated set
    /// members), as the engine's Value (tools: explain, tests). Quantifier variables must
    /// not be free in `e`.
    Value evaluate(const Request& request, const CExpr& e, std::int32_t as_of) const;

private:
    const CheckedPolicySet& set_;
    const Program& program_;
};

}  // namespace cordon
