// The engines the differential test compares: each decides a scenario (request text,
// day, statuses) for one loaded policy set into an Outcome. Adding a way of deciding
// (the reference evaluator, a compiler pass switched off) is one line in make_engines.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "cordon/engine/policy_set.hpp"
#include "policy_gen.hpp"

namespace cordon::gen {

/// One decision in comparable form: what every engine must agree on.
struct Outcome {
    std::string input_error;  // the decoder's complaint, if the request was refused
    Verdict verdict = Verdict::Allow;
    std::int32_t as_of = 0;
    std::vector<std::uint32_t> fired;
    struct Error {
        std::uint32_t rule = 0;
        std::uint32_t err = 0;  // kind and detail (Value::err); a table's detail is 0 (its id depends on order)
        std::string text;       // PolicySet::error_text: the attribute or key, by name
        bool operator==(const Error&) const = default;
    };
    std::vector<Error> errors;
    std::vector<std::string> messages;  // of the fired rules, in `fired` order
    bool operator==(const Outcome&) const = default;

    /// The outcome for people, rules by name.
    std::string describe(const CheckedPolicySet& set) const;
};

/// A way of deciding requests for one set.
class Engine {
public:
    explicit Engine(std::string name) : name_(std::move(name)) {}
    virtual ~Engine() = default;
    const std::string& name() const { return name_; }
    virtual void run(const Scenario& scenario, Outcome& out) = 0;

private:
    std::string name_;
};

/// What make_engines builds besides the fast path and the tree walk.
struct EngineSetup {
    std::string native_dir;  // non-empty: build native code there (seconds) and add it
    int pass_configs = -1;   // compiler-pass configurations to add: -1 all, else that many at random
    std::uint64_t seed = 0;  // picks the pass configurations
    /// The same set written in another order (GeneratedSet::files' `permute`), decided by
    /// its fast path: the order of rules and files must not change a decision.
    std::shared_ptr<const PolicySet> permuted;
};

/// The engines for `loaded` (which must hold a set); the first is the fast path, which
/// the others are compared with. `notes` collects why an engine could not be made
/// (e.g. native code failing to compile), which is itself a finding.
std::vector<std::unique_ptr<Engine>> make_engines(const LoadResult& loaded, const EngineSetup& setup,
                                                  std::vector<std::string>& notes);

}  // namespace cordon::gen
