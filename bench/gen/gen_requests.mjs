#!/usr/bin/env node
// Deterministic generator of realistic cordon requests (docs: ../shared/design/INTERFACES.md
// request format), one JSON object per line (JSONL).
//
//   node bench/gen/gen_requests.mjs --count 1000000 --seed 42 > requests.jsonl
//   node bench/gen/gen_requests.mjs --count 100000 --seed 42 --out requests.jsonl
//
// Properties:
//  - deterministic: a seeded mulberry32 PRNG drives every choice (no Math.random, no clock);
//    the same --seed and --count give byte-identical output on every machine, and the first
//    N lines of a larger run equal an N-line run with the same seed;
//  - every field of the INTERFACES.md example is present in every request (lists may be
//    empty: `intermediaries` has 0-3 entries, `owners` 1-3), so no engine has to handle
//    absence; resource.tpp and resource.performance_density are always given;
//  - streams: lines are built as strings and flushed in ~1 MiB chunks, never all held.
//
// The mix (weights below) is meant to look like a US cloud provider's remote-access traffic:
// mostly US and allied customers, some overseas subsidiaries of foreign parents, a thin tail
// of D:5 / Macau customers and intermediaries, log-uniform training compute.

import fs from "node:fs";

// ---------------------------------------------------------------- arguments
function parseArgs(argv) {
  const a = { count: 1000, seed: 42, out: null, start: 1 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) usage(`missing value for ${k}`);
      return argv[++i];
    };
    if (k === "--count" || k === "-n") a.count = Number(v());
    else if (k === "--seed" || k === "-s") a.seed = Number(v());
    else if (k === "--out" || k === "-o") a.out = v();
    else if (k === "--help" || k === "-h") usage(null);
    else usage(`unknown argument ${k}`);
  }
  if (!Number.isInteger(a.count) || a.count < 0) usage("--count must be a non-negative integer");
  if (!Number.isInteger(a.seed)) usage("--seed must be an integer");
  return a;
}
function usage(msg) {
  if (msg) process.stderr.write(`gen_requests: ${msg}\n`);
  process.stderr.write("usage: node gen_requests.mjs [--count N] [--seed S] [--out FILE]\n");
  process.exit(msg ? 1 : 0);
}

// ---------------------------------------------------------------- PRNG
// mulberry32: 32-bit state, period 2^32, good enough for workload generation.
function mulberry32(seed) {
  let s = seed >>> 0;
  return function next() {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Weighted choice table: [[value, weight], ...] -> function(rand) -> value.
function weighted(pairs) {
  const values = pairs.map((p) => p[0]);
  const cum = [];
  let total = 0;
  for (const [, w] of pairs) {
    total += w;
    cum.push(total);
  }
  return (r) => {
    const x = r() * total;
    // linear scan: tables are short
    for (let i = 0; i < cum.length; i++) if (x < cum[i]) return values[i];
    return values[values.length - 1];
  };
}

// ---------------------------------------------------------------- data
// Customer countries (where the customer entity sits). US-heavy, allies, a thin tail of
// D:1/D:4/D:5 and Macau.
const customerCountry = weighted([
  ["US", 300], ["DE", 60], ["JP", 55], ["GB", 55], ["SG", 35], ["IN", 45], ["AE", 25],
  ["CN", 40], ["MO", 4], ["RU", 8], ["IR", 3], ["VN", 15], ["FR", 40], ["KR", 35], ["CA", 35],
  ["NL", 20], ["IL", 18], ["SA", 15], ["BR", 15], ["MY", 15], ["TW", 20], ["HK", 12],
  ["AU", 20], ["CH", 12], ["SE", 10], ["TR", 8], ["KZ", 4], ["PK", 4], ["QA", 5], ["EG", 4],
  ["BY", 2], ["MM", 1], ["VE", 2], ["SY", 1], ["CU", 1], ["KP", 0.3], ["ID", 10], ["TH", 8],
  ["MX", 8], ["PL", 6], ["UZ", 2], ["GE", 2], ["JO", 2], ["KW", 2], ["OM", 1], ["BH", 1],
]);
// Headquarters of overseas subsidiaries (customer.country differs from hq_country).
const hqCountry = weighted([
  ["US", 40], ["CN", 18], ["JP", 8], ["DE", 8], ["GB", 6], ["KR", 5], ["HK", 4], ["SG", 4],
  ["RU", 3], ["AE", 3], ["MO", 1.5], ["IR", 1], ["IN", 4], ["FR", 4], ["SA", 2], ["TW", 3],
]);
// Parent headquarters when different from the customer's own hq.
const parentCountry = weighted([
  ["US", 35], ["CN", 20], ["JP", 8], ["DE", 6], ["GB", 6], ["HK", 5], ["SG", 4], ["RU", 3],
  ["MO", 2], ["AE", 3], ["KY", 4], ["BM", 2], ["VG", 3], ["IR", 1], ["NL", 3],
]);
// Intermediaries: resellers and brokers are mostly local; a few sit in D:5 / Macau.
const intermediaryCountry = weighted([
  ["US", 45], ["SG", 12], ["HK", 8], ["AE", 8], ["GB", 6], ["DE", 5], ["JP", 5], ["MY", 5],
  ["CN", 4], ["MO", 1], ["RU", 1], ["IN", 4], ["NL", 3], ["KZ", 1], ["VN", 2], ["TW", 3],
]);
const intermediaryRole = weighted([["reseller", 45], ["broker", 20], ["subsidiary", 20], ["agent", 15]]);
const intermediaryCount = weighted([[0, 55], [1, 28], [2, 12], [3, 5]]);
const ownersCount = weighted([[1, 60], [2, 30], [3, 10]]);
const customerKind = weighted([
  ["company", 60], ["university", 15], ["research_institute", 12], ["government", 5], ["individual", 8],
]);
// Chips with the TPP and performance density that the request always carries.
const CHIPS = {
  "H100-SXM": [15832, 19.4], "H100-PCIe": [12096, 14.9], "A100": [4992, 6.04],
  "A800": [4992, 6.04], "L40S": [5792, 9.5], "A30": [2640, 3.196], "H20": [2368, 2.91],
  "L20": [1912, 3.14], "L2": [1544, 2.54], "A10": [2000, 3.18], "B200": [36000, 22],
  "MI300X": [20912, 20],
};
const chip = weighted([
  ["H100-SXM", 20], ["H100-PCIe", 8], ["A100", 12], ["A800", 3], ["L40S", 8], ["A30", 4],
  ["H20", 6], ["L20", 3], ["L2", 3], ["A10", 8], ["B200", 8], ["MI300X", 5],
]);
const gpuCount = weighted([[1, 20], [2, 10], [4, 12], [8, 30], [16, 10], [32, 7], [64, 5], [256, 3], [1024, 2], [4096, 1]]);
const service = weighted([["gpu-instances", 60], ["managed-training", 20], ["inference-endpoints", 15], ["bare-metal", 5]]);
const regionCountry = weighted([["US", 85], ["DE", 3], ["JP", 3], ["GB", 2], ["SG", 2], ["IN", 2], ["AE", 1], ["CA", 2]]);
const providerName = weighted([["example-cloud", 40], ["nimbus-gpu", 25], ["stratus-ai", 20], ["cirrus-compute", 15]]);
const providerCountry = weighted([["US", 92], ["GB", 3], ["DE", 3], ["JP", 2]]);
const workloadKind = weighted([["training", 30], ["fine_tuning", 20], ["inference", 40], ["other", 10]]);

const NAME_A = ["Acme", "Blue", "Crest", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Iris", "Juniper",
  "Kestrel", "Lumen", "Meridian", "Nova", "Orbit", "Pioneer", "Quartz", "Ridge", "Summit", "Tidal",
  "Umbra", "Vertex", "Willow", "Xenon", "Yarrow", "Zephyr"];
const NAME_B = {
  company: ["Systems", "Labs", "Analytics", "Robotics", "Technologies", "AI", "Dynamics", "Networks"],
  university: ["University", "Institute of Technology", "State University", "College"],
  research_institute: ["Research Institute", "Academy of Sciences", "Research Center", "Laboratory"],
  government: ["Ministry of Digital Affairs", "National Computing Agency", "Defence Research Office", "Statistics Bureau"],
  individual: ["Consulting", "Freelance", "Studio", "Personal"],
};
const HOLD = ["Holdings", "Group", "Capital", "Partners", "Ventures", "Investment Co"];
const INTER = ["Cloud Reseller", "Compute Brokers", "Trading Co", "Systems Integrator", "Agency", "Distribution"];

// ---------------------------------------------------------------- one request
// JSON.stringify of a short ASCII name is cheap; names only use [A-Za-z ] anyway.
function q(s) {
  return `"${s}"`;
}
// Training ops: log-uniform in [1e20, 1e27], rounded to 3 significant digits (as a human or
// a control plane would state it); about 2% of requests state an exact threshold value
// (1e23 or 1e26), to exercise the >= boundaries.
function trainingOps(r) {
  const u = r();
  if (u < 0.01) return 1e23;
  if (u < 0.02) return 1e26;
  const x = Math.pow(10, 20 + 7 * r());
  return Number(x.toPrecision(3));
}

function makeRequest(r, i) {
  const id = "req-" + String(i).padStart(6, "0");
  const kind = customerKind(r);
  const country = customerCountry(r);
  // ~18% overseas subsidiaries: hq elsewhere; ~12% have a parent elsewhere again.
  const hq = r() < 0.18 ? hqCountry(r) : country;
  const parent = r() < 0.12 ? parentCountry(r) : hq;
  const foreign = country !== "US" || hq !== "US" || r() < 0.02;
  const verified = r() < 0.8;
  const govLinked = kind === "government" ? true : r() < 0.05;
  const listed = r() < 0.01;
  const name = `${NAME_A[(r() * NAME_A.length) | 0]} ${NAME_B[kind][(r() * NAME_B[kind].length) | 0]}`;

  const nOwners = ownersCount(r);
  let owners = "";
  let left = 1;
  for (let k = 0; k < nOwners; k++) {
    const share = k === nOwners - 1 ? left : Math.round(left * (0.3 + 0.5 * r()) * 100) / 100;
    left = Math.round((left - share) * 100) / 100;
    const oc = k === 0 ? parent : r() < 0.7 ? hq : parentCountry(r);
    owners += (k ? "," : "") +
      `{"name":${q(NAME_A[(r() * NAME_A.length) | 0] + " " + HOLD[(r() * HOLD.length) | 0])},"country":"${oc}","share":${share}}`;
  }

  const nInter = intermediaryCount(r);
  let inters = "";
  for (let k = 0; k < nInter; k++) {
    const ic = r() < 0.3 ? country : intermediaryCountry(r);
    inters += (k ? "," : "") +
      `{"name":${q(NAME_A[(r() * NAME_A.length) | 0] + " " + INTER[(r() * INTER.length) | 0])},"country":"${ic}","role":"${intermediaryRole(r)}"}`;
  }

  const c = chip(r);
  const [tpp, pd] = CHIPS[c];
  const wk = workloadKind(r);
  // always in exponent form ("2.28e+20"): a plain 21-digit integer literal would be valid JSON
  // but trips integer-first JSON parsers.
  const ops = trainingOps(r).toExponential();
  const bio = r() < 0.05;
  const granted = r() < 0.03;

  return (
    `{"id":"${id}","time":"2026-11-20",` +
    `"provider":{"name":"${providerName(r)}","country":"${providerCountry(r)}"},` +
    `"customer":{"name":${q(name)},"kind":"${kind}","country":"${country}","hq_country":"${hq}",` +
    `"parent_hq_country":"${parent}","foreign":${foreign},"identity_verified":${verified},` +
    `"government_linked":${govLinked},"on_entity_list":${listed},"owners":[${owners}]},` +
    `"intermediaries":[${inters}],` +
    `"resource":{"service":"${service(r)}","chip":"${c}","count":${gpuCount(r)},"tpp":${tpp},` +
    `"performance_density":${pd},"region_country":"${regionCountry(r)}"},` +
    `"workload":{"kind":"${wk}","training_ops":${ops},"bio_sequence":${bio}},` +
    `"license":{"granted":${granted}}}\n`
  );
}

// ---------------------------------------------------------------- main
async function main() {
  const a = parseArgs(process.argv.slice(2));
  const r = mulberry32(a.seed);
  const CHUNK = 1 << 20;
  let buf = "";
  if (a.out) {
    const fd = fs.openSync(a.out, "w");
    for (let i = 1; i <= a.count; i++) {
      buf += makeRequest(r, i);
      if (buf.length >= CHUNK) {
        fs.writeSync(fd, buf);
        buf = "";
      }
    }
    if (buf) fs.writeSync(fd, buf);
    fs.closeSync(fd);
    return;
  }
  const out = process.stdout;
  out.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(0); // e.g. piped into `head`
    throw e;
  });
  for (let i = 1; i <= a.count; i++) {
    buf += makeRequest(r, i);
    if (buf.length >= CHUNK) {
      if (!out.write(buf)) await new Promise((res) => out.once("drain", res));
      buf = "";
    }
  }
  if (buf) out.write(buf);
}

main().catch((e) => {
  process.stderr.write(`gen_requests: ${e.stack || e}\n`);
  process.exit(1);
});
