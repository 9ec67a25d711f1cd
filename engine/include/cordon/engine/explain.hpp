// Explanations: for every rule of a set, whether it was active, whether it fired, and
// each condition as written with the value it took for one request.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "cordon/engine/policy_set.hpp"

namespace cordon {

/// One condition as written, the value it took ("not evaluated" when short-circuited),
/// and the sub-conditions it was computed from.
struct ExplainNode {
    std::string text;
    std::string value;
    bool evaluated = false;
    std::vector<ExplainNode> children;
};

struct RuleExplanation {
    std::string rule;
    ast::Effect effect = ast::Effect::Deny;
    Status status = Status::InForce;
    bool active = false;
    std::string inactive_reason;  // when !active: the status or the date that excludes it
    bool fired = false;
    std::string error;            // when the rule failed to evaluate
    std::string message;          // when fired
    std::string cite;
    std::optional<ExplainNode> when;
    std::optional<ExplainNode> unless;
};

struct Explanation {
    Decision decision;
    std::vector<RuleExplanation> rules;  // every rule, sorted by name
};

/// The source text node `node` of the set's program computes, white space collapsed
/// ("?" for a node the compiler made without one).
std::string node_source_text(const PolicySet& set, std::int32_t node);

/// Decides `request` (with the compiled program, or the reference evaluator when
/// `reference`) and explains every rule: its conditions traced as the program computes them.
Explanation explain(const PolicySet& set, const Request& request, const EvalOptions& options,
                    bool reference = false);

}  // namespace cordon
