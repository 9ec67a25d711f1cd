// The comparison policy for json-rules-engine (npm), rules as JSON documents.
//
// Facts: the request's top-level objects (customer, resource, workload, license,
// intermediaries) are passed as runtime facts to engine.run(); conditions read fields with
// the engine's default JSONPath resolver (`path: "$.country"`). One rule per policy rule,
// whose event type is the rule name and whose event params carry the effect; the events of
// a run are the fired rules, and the decision is combined as cordon does (deny > report >
// allow).
//
// Faithfulness notes:
//  - the advanced-IC test is a named shared condition (engine.setCondition("advanced_ic"),
//    referenced as {condition: "advanced_ic"}), json-rules-engine's equivalent of `let`;
//  - "any intermediary in D5 or Macau" uses a dynamic fact `intermediary_countries`
//    (engine.addFact, computed from the `intermediaries` fact once per run) tested with the
//    built-in `someFact:in` operator decorator. (A JSONPath `$[*].country` does not work:
//    the default resolver unwraps a one-element result to a scalar.)
//  - "unless license.granted" is the condition `license.granted == false` (the field is a
//    boolean in every request);
//  - engine.run() is async; the harness awaits each decision in turn (no batching of
//    promises), which is how a request handler would call it.
import { Engine } from "json-rules-engine";
import { D5_MO, D1_D4, decisionOf } from "./sets.mjs";

const f = (fact, path, operator, value) => ({ fact, path, operator, value });
const notLicensed = f("license", "$.granted", "equal", false);
const foreign = f("customer", "$.foreign", "equal", true);

export const RULES = [
  {
    name: "advanced_d1_d4",
    conditions: { all: [{ condition: "advanced_ic" }, f("customer", "$.country", "in", D1_D4),
      f("customer", "$.country", "notIn", D5_MO)] },
    event: { type: "advanced_d1_d4", params: { effect: "report" } },
  },
  {
    name: "entity_list",
    conditions: { all: [f("customer", "$.on_entity_list", "equal", true), notLicensed] },
    event: { type: "entity_list", params: { effect: "deny" } },
  },
  {
    name: "hq_d5",
    conditions: { all: [{ condition: "advanced_ic" },
      { any: [f("customer", "$.country", "in", D5_MO), f("customer", "$.hq_country", "in", D5_MO),
        f("customer", "$.parent_hq_country", "in", D5_MO)] },
      notLicensed] },
    event: { type: "hq_d5", params: { effect: "deny" } },
  },
  {
    name: "intermediary_d5",
    conditions: { all: [{ condition: "advanced_ic" },
      { fact: "intermediary_countries", operator: "someFact:in", value: D5_MO }, notLicensed] },
    event: { type: "intermediary_d5", params: { effect: "deny" } },
  },
  {
    name: "large_training",
    conditions: { all: [foreign, f("workload", "$.kind", "equal", "training"),
      { any: [f("workload", "$.training_ops", "greaterThanInclusive", 1e26),
        { all: [f("workload", "$.bio_sequence", "equal", true),
          f("workload", "$.training_ops", "greaterThanInclusive", 1e23)] }] }] },
    event: { type: "large_training", params: { effect: "report" } },
  },
  {
    name: "unverified_foreign",
    conditions: { all: [foreign, f("customer", "$.identity_verified", "equal", false)] },
    event: { type: "unverified_foreign", params: { effect: "deny" } },
  },
];

const ADVANCED_IC = {
  any: [f("resource", "$.tpp", "greaterThanInclusive", 4800),
    { all: [f("resource", "$.tpp", "greaterThanInclusive", 1600),
      f("resource", "$.performance_density", "greaterThanInclusive", 5.92)] }],
};

export async function setup() {
  const engine = new Engine([], { allowUndefinedFacts: false });
  engine.setCondition("advanced_ic", ADVANCED_IC);
  engine.addFact("intermediary_countries", async (params, almanac) => {
    const im = await almanac.factValue("intermediaries");
    return im.map((p) => p.country);
  });
  for (const r of RULES) engine.addRule(r);
  return async function decide(req) {
    const { events } = await engine.run({
      customer: req.customer, resource: req.resource, workload: req.workload,
      license: req.license, intermediaries: req.intermediaries,
    });
    const fired = events.map((e) => e.type).sort();
    return { decision: decisionOf(fired), fired };
  };
}
