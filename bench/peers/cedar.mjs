// The comparison policy in Cedar, evaluated by @cedar-policy/cedar-wasm (the Rust Cedar
// engine compiled to WebAssembly, Node.js build).
//
// Cedar's decision is two-valued (Allow / Deny: deny if any satisfied `forbid`, else allow
// if any satisfied `permit`), while this policy is three-valued (deny > report > allow) and
// must name every fired rule. Two faithful mappings are provided:
//
//  * setup()  -> engine "cedar" (ONE authorization call per request).
//    Every rule is a Cedar `forbid` policy whose @id is the rule name and whose @effect
//    annotation ("deny" | "report") is the rule's effect, next to an unconditional
//    `permit`. Cedar's answer then lists in diagnostics.reason exactly the satisfied forbid
//    policies, i.e. every fired rule (Cedar reports all determining policies, not just the
//    first), and the decision is read from the fired rules' @effect annotations (taken
//    from the parsed policies at setup, not from a table in this file): deny if a fired
//    rule's @effect is "deny", else report if any fired, else allow.
//
//  * setupTwoSets() -> engine "cedar-2sets" (TWO calls per request).
//    Closer to idiomatic Cedar: set 1 ("authz") holds the deny rules as `forbid` plus an
//    allow-all `permit`, so Cedar's own deny-overrides decides deny vs. not-deny and its
//    reasons name the fired deny rules; set 2 ("obligations") holds the report rules as
//    `permit` with no default, so Cedar's Allow means "some report rule fired" and its
//    reasons name them. Both sets are evaluated on every request, because cordon lists
//    report rules that fired even when the decision is deny.
//
// Both use statefulIsAuthorized with a policy set pre-parsed once (preparsePolicySet): the
// fastest path the package offers. setupStateless() -> engine "cedar-stateless" is the
// single-set mapping through the basic isAuthorized(call), which re-parses the policy text
// on every call (what a naive integration does); it is measured on a smaller sample.
//
// Request mapping (done in JS per request, inside the timed decide()):
//  - principal Customer::"<customer.name>", action Action::"access",
//    resource Resource::"<resource.chip>", no entities; the request fields the rules read go
//    into `context`. Cedar has no floats and no quantifiers over records, so:
//  - resource.tpp is a Cedar Long (the generator's TPPs are integers; a non-integer TPP
//    throws rather than being rounded);
//  - resource.performance_density is a Cedar `decimal` (exact for <= 4 fractional digits;
//    all chip figures have <= 3); thresholds compare with greaterThanOrEqual(decimal(..));
//  - workload.training_ops (up to 1e27, beyond Cedar's 64-bit Long) is passed as the two
//    32-bit halves of its IEEE-754 bit pattern (training_ops_hi / _lo), which for
//    non-negative doubles orders exactly like the value; ">= 1e26" becomes a lexicographic
//    comparison against the halves of the double 1e26. Exact, no rounding (a "units of
//    1e18" scaling would flip requests stating exactly 1e23);
//  - intermediaries[].country is projected to a set `intermediary_countries` and tested
//    with containsAny (Cedar has no `any p in list: ...` over records). This projection is
//    the one piece of rule logic done outside Cedar; it is a field extraction, not a test.
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { D5_MO, D1_D4 } from "./sets.mjs";

const list = (xs) => "[" + xs.map((x) => `"${x}"`).join(", ") + "]";
const D5MO = list(D5_MO);
const D1D4 = list(D1_D4);

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
function halves(x) {
  f64[0] = x;
  return LE ? [u32[1], u32[0]] : [u32[0], u32[1]];
}
function opsAtLeast(t) {
  const [h, l] = halves(t);
  return `(context.workload.training_ops_hi > ${h} || ` +
    `(context.workload.training_ops_hi == ${h} && context.workload.training_ops_lo >= ${l}))`;
}

const ADVANCED =
  `(context.resource.tpp >= 4800 || (context.resource.tpp >= 1600 && ` +
  `context.resource.performance_density.greaterThanOrEqual(decimal("5.92"))))`;

// Rule bodies: [effect, when, unless|null]
const RULES = {
  advanced_d1_d4: ["report",
    `${ADVANCED} && ${D1D4}.contains(context.customer.country) && !(${D5MO}.contains(context.customer.country))`, null],
  entity_list: ["deny", `context.customer.on_entity_list`, `context.license.granted`],
  hq_d5: ["deny",
    `${ADVANCED} && (${D5MO}.contains(context.customer.country) || ${D5MO}.contains(context.customer.hq_country)` +
    ` || ${D5MO}.contains(context.customer.parent_hq_country))`, `context.license.granted`],
  intermediary_d5: ["deny", `${ADVANCED} && context.intermediary_countries.containsAny(${D5MO})`,
    `context.license.granted`],
  large_training: ["report",
    `context.customer.foreign && context.workload.kind == "training" && (${opsAtLeast(1e26)}` +
    ` || (context.workload.bio_sequence && ${opsAtLeast(1e23)}))`, null],
  unverified_foreign: ["deny", `context.customer.foreign && !context.customer.identity_verified`, null],
};

function policyText(name, kind, effect, when, unless) {
  return `@id("${name}")\n@effect("${effect}")\n${kind} (principal, action, resource)\n` +
    `when { ${when} }` + (unless ? `\nunless { ${unless} }` : "") + ";";
}

// Single set: every rule a forbid annotated with its effect, plus allow-all.
export function oneSetPolicies() {
  const p = {};
  for (const [n, [e, w, u]] of Object.entries(RULES)) p[n] = policyText(n, "forbid", e, w, u);
  p.allow_all = `@id("allow_all")\npermit (principal, action, resource);`;
  return p;
}
// Two sets: deny rules as forbid + allow-all; report rules as permit, no default.
export function twoSetPolicies() {
  const authz = {}, obligations = {};
  for (const [n, [e, w, u]] of Object.entries(RULES)) {
    if (e === "deny") authz[n] = policyText(n, "forbid", e, w, u);
    else obligations[n] = policyText(n, "permit", e, w, u);
  }
  authz.allow_all = `@id("allow_all")\npermit (principal, action, resource);`;
  return { authz, obligations };
}
export function policiesText() {
  return Object.values(oneSetPolicies()).join("\n\n") + "\n";
}

// Effects as Cedar parsed them (@effect annotation of each policy).
function effectsOf(policies) {
  const m = new Map();
  for (const [id, text] of Object.entries(policies)) {
    const j = cedar.policyToJson(text);
    if (j.type !== "success") throw new Error(`cedar: ${id}: ${JSON.stringify(j.errors)}`);
    const e = j.json.annotations?.effect;
    if (e) m.set(id, e);
  }
  return m;
}

function context(req) {
  const c = req.customer, r = req.resource, w = req.workload;
  if (!Number.isInteger(r.tpp)) throw new Error(`cedar mapping: non-integer tpp ${r.tpp}`);
  const pd = r.performance_density;
  let pds = String(pd);
  if (!pds.includes(".")) pds += ".0";
  if (pds.includes("e") || pds.split(".")[1].length > 4) pds = pd.toFixed(4); // not hit by the generator
  const [hi, lo] = halves(w.training_ops);
  const im = req.intermediaries;
  const ic = new Array(im.length);
  for (let i = 0; i < im.length; i++) ic[i] = im[i].country;
  return {
    customer: {
      country: c.country, hq_country: c.hq_country, parent_hq_country: c.parent_hq_country,
      foreign: c.foreign, identity_verified: c.identity_verified, on_entity_list: c.on_entity_list,
    },
    intermediary_countries: ic,
    resource: { tpp: r.tpp, performance_density: { __extn: { fn: "decimal", arg: pds } } },
    workload: { kind: w.kind, training_ops_hi: hi, training_ops_lo: lo, bio_sequence: w.bio_sequence },
    license: { granted: req.license.granted },
  };
}

function call(req) {
  return {
    principal: { type: "Customer", id: req.customer.name },
    action: { type: "Action", id: "access" },
    resource: { type: "Resource", id: req.resource.chip },
    context: context(req),
    entities: [],
  };
}

function check(ans, what) {
  if (ans.type !== "success") throw new Error(`cedar ${what}: ${JSON.stringify(ans.errors)}`);
  const d = ans.response.diagnostics;
  if (d.errors.length) return d.errors.map((e) => `${e.policyId}: ${e.error.message}`).join("; ");
  return null;
}

function fromFired(reasons, effects) {
  const fired = [];
  let deny = false, report = false;
  for (const id of reasons) {
    const e = effects.get(id);
    if (e === undefined) continue; // allow_all
    fired.push(id);
    if (e === "deny") deny = true;
    else report = true;
  }
  fired.sort();
  return { decision: deny ? "deny" : report ? "report" : "allow", fired };
}

let psCounter = 0;
function preparse(policies) {
  const id = `cordon-bench-${++psCounter}`;
  const r = cedar.preparsePolicySet(id, { staticPolicies: policies });
  if (r.type !== "success") throw new Error(`cedar preparse: ${JSON.stringify(r.errors)}`);
  return id;
}

export async function setup() {
  const policies = oneSetPolicies();
  const effects = effectsOf(policies);
  const id = preparse(policies);
  return function decide(req) {
    const q = call(req);
    q.preparsedPolicySetId = id;
    const ans = cedar.statefulIsAuthorized(q);
    const err = check(ans, "authorize");
    if (err) return { decision: "error", fired: [], error: err };
    return fromFired(ans.response.diagnostics.reason, effects);
  };
}

export async function setupTwoSets() {
  const { authz, obligations } = twoSetPolicies();
  const effects = new Map([...effectsOf(authz), ...effectsOf(obligations)]);
  const idA = preparse(authz), idO = preparse(obligations);
  return function decide(req) {
    const q = call(req);
    q.preparsedPolicySetId = idA;
    const a = cedar.statefulIsAuthorized(q);
    q.preparsedPolicySetId = idO;
    const o = cedar.statefulIsAuthorized(q);
    const err = check(a, "authz") || check(o, "obligations");
    if (err) return { decision: "error", fired: [], error: err };
    const fired = [];
    if (a.response.decision === "deny") fired.push(...a.response.diagnostics.reason);
    if (o.response.decision === "allow") fired.push(...o.response.diagnostics.reason);
    fired.sort();
    const decision = a.response.decision === "deny" ? "deny" : o.response.decision === "allow" ? "report" : "allow";
    return { decision, fired };
  };
}

export async function setupStateless() {
  const policies = oneSetPolicies();
  const effects = effectsOf(policies);
  const ps = { staticPolicies: policies };
  return function decide(req) {
    const q = call(req);
    q.policies = ps;
    const ans = cedar.isAuthorized(q);
    const err = check(ans, "authorize");
    if (err) return { decision: "error", fired: [], error: err };
    return fromFired(ans.response.diagnostics.reason, effects);
  };
}
