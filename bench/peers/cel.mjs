// The comparison policy in CEL, evaluated by @bufbuild/cel (the CEL evaluator for ECMAScript).
//
// One CEL expression per rule, parsed and planned once in setup(); per request each of the
// six plans is run against the binding `request` (the parsed request object as is: plain JS
// objects are CEL maps, arrays lists, numbers doubles, booleans bools). An expression that
// evaluates to true means the rule fired; the effect (deny / report) of each rule is the
// rule's metadata, and the decision is combined exactly as cordon does (deny > report > allow).
//
// Faithfulness notes:
//  - CEL has no `let`; the advanced-IC test is spliced textually into the rules that use it
//    (the same expression text, so the same semantics).
//  - Country groups are CEL list literals inside the expressions (`x in [...]`); the
//    intermediary rule uses the standard `exists` macro, a real quantifier.
//  - An evaluation error (e.g. a missing field) would make the rule "error"; run.mjs counts
//    it as a mismatch. The generated requests always carry every field.
import { celEnv, parse, plan, isCelError } from "@bufbuild/cel";
import { D5_MO, D1_D4, EFFECT, decisionOf } from "./sets.mjs";

const list = (xs) => "[" + xs.map((x) => `'${x}'`).join(", ") + "]";
const D5MO = list(D5_MO);
const D1D4 = list(D1_D4);
const ADVANCED =
  "(request.resource.tpp >= 4800.0 || (request.resource.tpp >= 1600.0 && request.resource.performance_density >= 5.92))";

export const EXPRESSIONS = {
  advanced_d1_d4: `${ADVANCED} && request.customer.country in ${D1D4} && !(request.customer.country in ${D5MO})`,
  entity_list: `request.customer.on_entity_list && !request.license.granted`,
  hq_d5:
    `${ADVANCED} && (request.customer.country in ${D5MO} || request.customer.hq_country in ${D5MO}` +
    ` || request.customer.parent_hq_country in ${D5MO}) && !request.license.granted`,
  intermediary_d5: `${ADVANCED} && request.intermediaries.exists(p, p.country in ${D5MO}) && !request.license.granted`,
  large_training:
    `request.customer.foreign && request.workload.kind == 'training' && (request.workload.training_ops >= 1e26` +
    ` || (request.workload.bio_sequence && request.workload.training_ops >= 1e23))`,
  unverified_foreign: `request.customer.foreign && !request.customer.identity_verified`,
};

export async function setup() {
  const env = celEnv();
  // Sorted by rule name, so `fired` comes out sorted.
  const names = Object.keys(EXPRESSIONS).sort();
  const plans = names.map((n) => plan(env, parse(EXPRESSIONS[n])));
  for (const n of names) if (!EFFECT[n]) throw new Error(`no effect for ${n}`);
  const k = names.length;
  return function decide(req) {
    const bindings = { request: req };
    const fired = [];
    for (let i = 0; i < k; i++) {
      const v = plans[i](bindings);
      if (v === true) fired.push(names[i]);
      else if (v !== false) {
        const msg = isCelError(v) ? v.message : String(v);
        return { decision: "error", fired, error: `${names[i]}: ${msg}` };
      }
    }
    return { decision: decisionOf(fired), fired };
  };
}
