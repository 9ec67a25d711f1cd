// The runner behind `cordon test`: *.test.yaml cases beside the policies, their
// outcomes compared with expectations, and rule coverage.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cordon/dsl/diagnostic.hpp"
#include "cordon/engine/policy_set.hpp"

namespace cordon {

/// What a case expects. Unset fields are not checked.
struct Expectation {
    std::optional<std::string> decision;
    std::optional<std::vector<std::string>> fired;    // exactly these rules, any order
    std::optional<std::vector<std::string>> reports;  // rules with report obligations
    std::optional<std::vector<std::string>> errors;   // rules that failed to evaluate
};

/// One case's result: the expectation, what happened, and whether they agree.
struct CaseResult {
    std::string file;
    int line = 0;
    std::string name;
    bool passed = false;
    Expectation expect;
    std::string decision;                 // actual
    std::vector<std::string> fired;       // actual, sorted
    std::vector<std::string> reports;
    std::vector<std::string> errors;
    std::vector<std::string> error_texts;
    std::string problem;                  // why it failed, in one sentence (input errors too)
};

/// Per rule of a policy set: how many cases made it fire, and whether any case
/// reached its `unless` with `when` true and the exception holding.
struct RuleCoverage {
    std::string rule;
    bool has_unless = false;
    int fired = 0;
    int unless_exercised = 0;
};

struct TestReport {
    std::vector<CaseResult> cases;
    std::map<std::string, std::vector<RuleCoverage>> coverage;  // policy-set dir -> rules
    /// Per policy-set dir, the rules no case enforced (status not included, or every case's
    /// day outside their dates), with why, e.g. "status draft not included".
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> never_enforced;
    Diagnostics diagnostics;           // problems with the test files or policy sets
    std::shared_ptr<SourceMap> sources;
    std::size_t passed() const;
    std::size_t failed() const;
};

struct TestOptions {
    std::string filter;                // substring of case names (case-insensitive); empty = all
    std::optional<std::int32_t> as_of; // default when neither the case nor the file says
    std::vector<Status> include;       // added to every case's statuses
    std::vector<std::string> include_policies;  // policies enforced in every case, whatever their status
    bool override_as_of = false;       // `as_of` beats the files' and cases' own (a request's `time` still wins)
    bool reference = false;            // decide with the reference evaluator (`--reference`)
    CompileOptions passes;             // the compiler's passes (all by default; for bisecting)
};

/// Runs every *.test.yaml under `path` (a directory, or one test file).
TestReport run_tests(const std::string& path, const TestOptions& options);

}  // namespace cordon
