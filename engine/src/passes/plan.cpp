// Rule plans: the fast form `Evaluator::decide` runs, made from the `when`/`unless` trees by
// the planner's passes, in this order (docs/engine.md, "Passes", names each one's invariant):
//
//   analysis     NodeFacts: parents, costs, bound variables, likelihoods (node_facts.cpp), once
//   rewrites     spelled_lets, merge_lets, inline_lets, unions, attr_true, shared_lets:
//                one bottom-up walk over the rules' nodes (rewrite.cpp; each rewrite in a file
//                of its own: spelled_lets.cpp, let_passes.cpp, unions.cpp, attr_true.cpp,
//                shared_lets.cpp)
//   conjuncts    each rule's `when` flattened into its plan (conjuncts.cpp; always)
//   plan         the plan's conjuncts cheapest and likeliest false first (conjuncts.cpp)
//   guards       lets most rules require, to skip them once false (guards.cpp)
//   key_tables   costly lets keyed by one string, as tables of their values (key_tables.cpp)
//
// Each is switched by the CompileOptions member of its name; with any off, decisions are
// the same (tests/unit/passes_test.cpp, the differential tester).
#include "passes/plan.hpp"

#include "passes/plan_passes.hpp"
#include "passes/rewrites.hpp"

namespace cordon {

void plan_rules(const CheckedPolicySet& set, const CompileOptions& options, Program& p, const PushNode& push) {
    NodeFacts facts(set, p);
    const std::vector<std::int32_t> when = rewrite_rules(options, facts, p, push);
    facts.extend();  // the nodes the rewrites made
    flatten_conjuncts(when, p);
    order_conjuncts(facts, p, options.plan);
    choose_guards(p, options.guards);
    build_key_tables(set, facts, p, options.key_tables);
}

}  // namespace cordon
