#!/usr/bin/env node
// Peer benchmark harness: the same requests decided by a hand-written JS function, CEL
// (@bufbuild/cel), Cedar (@cedar-policy/cedar-wasm) and json-rules-engine; every engine's
// decisions checked against the hand-written reference (and, with --cordon, cordon's).
//
//   node run.mjs REQUESTS.jsonl [--json out.json] [--cordon cordon-decisions.jsonl]
//        [--engines handwritten,cel,cedar,json-rules-engine,cedar-2sets,cedar-stateless]
//        [--limit N] [--sample ENGINE=N ...] [--reps 5] [--min-time 1.0] [--cordon-rate DECISIONS_PER_S]
//
// For each engine, on its sample (the first N lines of the file):
//   1. setup() (compile / pre-parse the policy; not timed);
//   2. one warm-up pass over the pre-parsed sample (not timed); its decisions are compared
//      with the hand-written function's (decision and fired set) -> mismatches;
//   3. "with parse": JSON.parse(line) then decide, for each line of the sample: one untimed
//      calibration pass, then `reps` timed runs, each of `inner` consecutive passes where
//      `inner` makes a run last >= --min-time seconds (1 pass for the slow engines);
//   4. "without parse": the same on the pre-parsed objects;
//   the MEDIAN run rate of 3. and of 4. is reported, in decisions per second.
// Exit status: 0 all agree, 3 when any engine (or cordon) disagrees with the reference,
// 1 on a usage or setup error.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { D5, MACAU, D1, D4 } from "./sets.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------- engines
// sample: default number of requests (null = the whole file).
const ENGINES = {
  handwritten: { mod: "./handwritten.mjs", fn: "setup", sample: null, pkg: null,
    what: "plain JS function (reference)" },
  cel: { mod: "./cel.mjs", fn: "setup", sample: 50_000, pkg: "@bufbuild/cel",
    what: "6 CEL expressions, planned once" },
  cedar: { mod: "./cedar.mjs", fn: "setup", sample: 20_000, pkg: "@cedar-policy/cedar-wasm",
    what: "1 preparsed set, 1 statefulIsAuthorized/request" },
  "json-rules-engine": { mod: "./json-rules-engine.mjs", fn: "setup", sample: 15_000,
    pkg: "json-rules-engine", what: "6 JSON rules, await engine.run()" },
  "cedar-2sets": { mod: "./cedar.mjs", fn: "setupTwoSets", sample: 3_000, pkg: "@cedar-policy/cedar-wasm",
    what: "forbid set + report set, 2 calls/request" },
  "cedar-stateless": { mod: "./cedar.mjs", fn: "setupStateless", sample: 500,
    pkg: "@cedar-policy/cedar-wasm", what: "isAuthorized, policy text re-parsed per call" },
};
const DEFAULT_ENGINES = Object.keys(ENGINES);

// ---------------------------------------------------------------- arguments
function usage(msg) {
  if (msg) process.stderr.write(`run.mjs: ${msg}\n`);
  process.stderr.write(
    "usage: node run.mjs REQUESTS.jsonl [--json OUT] [--cordon DECISIONS.jsonl] [--engines a,b]\n" +
    "       [--limit N] [--sample ENGINE=N]... [--reps R] [--min-time SECONDS] [--cordon-rate DECISIONS_PER_S]\n");
  process.exit(msg ? 1 : 0);
}
function parseArgs(argv) {
  const a = { file: null, json: null, cordon: null, engines: DEFAULT_ENGINES, limit: null,
    samples: {}, reps: 5, cordonRate: null, minTime: 1.0 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => (i + 1 < argv.length ? argv[++i] : usage(`missing value for ${k}`));
    if (k === "--json") a.json = v();
    else if (k === "--cordon") a.cordon = v();
    else if (k === "--engines") a.engines = v().split(",").filter(Boolean);
    else if (k === "--limit") a.limit = posInt(v(), k);
    else if (k === "--sample") {
      const [e, n] = v().split("=");
      if (!ENGINES[e]) usage(`unknown engine ${e}`);
      a.samples[e] = n === "all" ? Infinity : posInt(n, k);
    } else if (k === "--reps") a.reps = posInt(v(), k);
    else if (k === "--cordon-rate") a.cordonRate = Number(v());
    else if (k === "--min-time") a.minTime = Number(v());
    else if (k === "-h" || k === "--help") usage(null);
    else if (k.startsWith("-")) usage(`unknown option ${k}`);
    else if (!a.file) a.file = k;
    else usage(`unexpected argument ${k}`);
  }
  if (!a.file) usage("no requests file");
  for (const e of a.engines) if (!ENGINES[e]) usage(`unknown engine ${e}`);
  if (!a.engines.includes("handwritten")) a.engines = ["handwritten", ...a.engines];
  return a;
}
function posInt(s, k) {
  const n = Number(s.replace(/_/g, ""));
  if (!Number.isInteger(n) || n <= 0) usage(`${k} needs a positive integer`);
  return n;
}
// --limit N sets the sample of every engine but the hand-written one (whole file unless
// --sample handwritten=N); --sample ENGINE=N overrides one engine.
function sampleOf(a, e, total) {
  let n = ENGINES[e].sample ?? Infinity;
  if (a.limit !== null && e !== "handwritten") n = a.limit;
  if (a.samples[e] !== undefined) n = a.samples[e];
  return Math.min(n, total);
}

// ---------------------------------------------------------------- input
// Lines as strings, read in chunks (a 1M-request file exceeds V8's maximum string length).
function readLines(file, max) {
  const fd = fs.openSync(file, "r");
  const lines = [];
  const buf = Buffer.allocUnsafe(16 << 20);
  let carry = null;
  for (;;) {
    const n = fs.readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    let chunk = buf.subarray(0, n);
    if (carry) {
      chunk = Buffer.concat([carry, chunk]);
      carry = null;
    }
    let s = 0;
    for (;;) {
      const e = chunk.indexOf(10, s);
      if (e < 0) break;
      if (e > s) lines.push(chunk.toString("utf8", s, e));
      s = e + 1;
      if (lines.length >= max) break;
    }
    if (lines.length >= max) break;
    if (s < chunk.length) carry = Buffer.from(chunk.subarray(s));
  }
  if (carry && carry.length && lines.length < max) lines.push(carry.toString("utf8"));
  fs.closeSync(fd);
  return lines;
}
function countLines(file) {
  const fd = fs.openSync(file, "r");
  const buf = Buffer.allocUnsafe(16 << 20);
  let n = 0, last = 10, len;
  while ((len = fs.readSync(fd, buf, 0, buf.length, null)) > 0) {
    for (let i = buf.indexOf(10, 0); i >= 0 && i < len; i = buf.indexOf(10, i + 1)) n++;
    last = buf[len - 1];
  }
  fs.closeSync(fd);
  return last === 10 ? n : n + 1;
}

// ---------------------------------------------------------------- checks
function sameDecision(a, b) {
  if (a.decision !== b.decision) return false;
  const x = a.fired, y = b.fired;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

// sets.yaml (for cordon) must hold the same groups as sets.mjs (for the JS engines).
function checkSetsYaml() {
  const text = fs.readFileSync(path.join(HERE, "sets.yaml"), "utf8");
  const want = { D5, MACAU, D1, D4 };
  const got = {};
  for (const line of text.split("\n")) {
    const m = /^([A-Za-z0-9_]+):\s*\[(.*)\]\s*$/.exec(line);
    if (m) got[m[1]] = m[2].split(",").map((s) => s.trim()).filter(Boolean);
  }
  for (const [k, v] of Object.entries(want)) {
    const g = got[k];
    if (!g || g.length !== v.length || [...v].sort().join() !== [...g].sort().join())
      throw new Error(`sets.yaml: ${k} differs from sets.mjs`);
  }
}

async function checkCordon(file, ids, reference) {
  const index = new Map();
  for (let i = 0; i < ids.length; i++) index.set(ids[i], i);
  const seen = new Uint8Array(ids.length);
  let compared = 0, mismatches = 0, unknown = 0, bad = 0;
  const examples = [];
  const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    let d;
    try {
      d = JSON.parse(line);
    } catch {
      bad++;
      continue;
    }
    const i = index.get(d.id);
    if (i === undefined) {
      unknown++;
      continue;
    }
    seen[i] = 1;
    compared++;
    const fired = (d.fired || []).map((f) => {
      const r = typeof f === "string" ? f : f.rule;
      return r.slice(r.lastIndexOf(".") + 1);
    }).sort();
    const mine = { decision: d.decision, fired };
    if (!sameDecision(mine, reference[i])) {
      mismatches++;
      if (examples.length < 5) examples.push({ id: d.id, cordon: mine, handwritten: reference[i] });
    }
  }
  let missing = 0;
  for (let i = 0; i < seen.length; i++) if (!seen[i]) missing++;
  return { file, compared, mismatches, missing, unknown_ids: unknown, unparsable: bad, examples };
}

// ---------------------------------------------------------------- timing
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
let sink = 0; // keeps results observable so no pass can be optimised away

function passSync(decide, items, parse) {
  const t0 = process.hrtime.bigint();
  if (parse) for (let i = 0; i < items.length; i++) sink += decide(JSON.parse(items[i])).fired.length;
  else for (let i = 0; i < items.length; i++) sink += decide(items[i]).fired.length;
  return Number(process.hrtime.bigint() - t0) / 1e9;
}
async function passAsync(decide, items, parse) {
  const t0 = process.hrtime.bigint();
  if (parse) for (let i = 0; i < items.length; i++) sink += (await decide(JSON.parse(items[i]))).fired.length;
  else for (let i = 0; i < items.length; i++) sink += (await decide(items[i])).fired.length;
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function pkgVersion(name) {
  if (!name) return null;
  try {
    return JSON.parse(fs.readFileSync(path.join(HERE, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return null;
  }
}

const fmtRate = (r) => (r >= 100 ? Math.round(r).toLocaleString("en-US") : r.toFixed(1));
const fmtRatio = (r) => (r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(1) : r.toFixed(3));

// ---------------------------------------------------------------- main
async function main() {
  const a = parseArgs(process.argv.slice(2));
  checkSetsYaml();
  const total = countLines(a.file);
  const samples = Object.fromEntries(a.engines.map((e) => [e, sampleOf(a, e, total)]));
  const need = Math.max(...Object.values(samples));
  const log = (s) => process.stderr.write(s + "\n");

  log(`reading ${a.file}: ${total.toLocaleString("en-US")} lines, loading ${need.toLocaleString("en-US")}`);
  const lines = readLines(a.file, need);
  const objects = lines.map((l) => JSON.parse(l));
  const ids = objects.map((o) => o.id);

  const hw = await (await import(ENGINES.handwritten.mod)).setup();
  const reference = objects.map((o) => hw(o));
  const counts = { allow: 0, deny: 0, report: 0 };
  for (const r of reference) counts[r.decision]++;

  const results = [];
  for (const e of a.engines) {
    const spec = ENGINES[e];
    const n = samples[e];
    const mod = await import(spec.mod);
    const decide = await mod[spec.fn]();
    const isAsync = decide.constructor.name === "AsyncFunction";
    const objs = n === objects.length ? objects : objects.slice(0, n);
    const strs = n === lines.length ? lines : lines.slice(0, n);
    log(`${e}: ${n.toLocaleString("en-US")} requests, warm-up + ${a.reps}x2 timed passes`);

    // warm-up pass = verification pass
    let mismatches = 0, errors = 0;
    const examples = [];
    for (let i = 0; i < n; i++) {
      let d;
      try {
        d = isAsync ? await decide(objs[i]) : decide(objs[i]);
      } catch (err) {
        d = { decision: "error", fired: [], error: String(err && err.message || err) };
      }
      if (d.decision === "error") errors++;
      if (!sameDecision(d, reference[i])) {
        mismatches++;
        if (examples.length < 5) examples.push({ id: ids[i], engine: d, handwritten: reference[i] });
      }
    }

    // One measurement = `inner` consecutive passes, enough to last >= --min-time seconds,
    // so that a fast engine's measurement is not one 30 ms pass at the mercy of a single
    // major GC. `inner` is calibrated on one untimed pass of each mode.
    const measure = async (items, parse) => {
      const once = () => (isAsync ? passAsync(decide, items, parse) : passSync(decide, items, parse));
      const t1 = await once();
      const inner = Math.max(1, Math.min(1000, Math.ceil(a.minTime / Math.max(t1, 1e-6))));
      const rates = [];
      for (let r = 0; r < a.reps; r++) {
        let s = 0;
        for (let k = 0; k < inner; k++) s += await once();
        rates.push((n * inner) / s);
      }
      return { rates, inner };
    };
    const mp = await measure(strs, true);
    const mo = await measure(objs, false);
    const withParse = mp.rates, withoutParse = mo.rates;
    results.push({
      engine: e, package: spec.pkg, version: pkgVersion(spec.pkg), how: spec.what, sample: n,
      warmup_passes: 1, reps: a.reps,
      with_parse: { median: median(withParse), runs: withParse, passes_per_run: mp.inner },
      without_parse: { median: median(withoutParse), runs: withoutParse, passes_per_run: mo.inner },
      mismatches, errors, mismatch_examples: examples,
    });
  }

  const base = results.find((r) => r.engine === "handwritten");
  for (const r of results) {
    r.ratio_to_handwritten = {
      with_parse: r.with_parse.median / base.with_parse.median,
      without_parse: r.without_parse.median / base.without_parse.median,
    };
    if (a.cordonRate) r.cordon_times_faster_with_parse = a.cordonRate / r.with_parse.median;
  }

  const cordon = a.cordon ? await checkCordon(a.cordon, ids, reference) : null;

  // ---- table
  const head = ["engine", "sample", "dec/s with parse", "dec/s without parse", "x hand-written (parse/no parse)",
    "mismatches"];
  if (a.cordonRate) head.push("cordon / engine");
  const rows = results.map((r) => {
    const row = [r.engine, r.sample.toLocaleString("en-US"), fmtRate(r.with_parse.median),
      fmtRate(r.without_parse.median),
      `${fmtRatio(r.ratio_to_handwritten.with_parse)} / ${fmtRatio(r.ratio_to_handwritten.without_parse)}`,
      String(r.mismatches)];
    if (a.cordonRate) row.push(fmtRatio(r.cordon_times_faster_with_parse));
    return row;
  });
  if (a.cordonRate) {
    const row = ["cordon (given)", "", fmtRate(a.cordonRate), "", fmtRatio(a.cordonRate / base.with_parse.median) + " / -",
      cordon ? String(cordon.mismatches) + (cordon.missing ? ` (+${cordon.missing} missing)` : "") : "-", "1"];
    rows.push(row);
  }
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => "| " + cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join(" | ") + " |";
  const cpu = os.cpus();
  const out = [];
  out.push(`file: ${a.file} (${total.toLocaleString("en-US")} requests; reference decisions on the first ` +
    `${objects.length.toLocaleString("en-US")}: allow ${counts.allow}, deny ${counts.deny}, report ${counts.report})`);
  out.push(`node ${process.version}, ${cpu.length} x ${cpu[0] ? cpu[0].model : "?"}; ` +
    `median of ${a.reps} timed runs (each >= ${a.minTime} s) after warm-up; each engine on the first N requests (sample)`);
  out.push("");
  out.push(line(head));
  out.push("|" + w.map((x, i) => (i === 0 ? "-".repeat(x + 2) : "-".repeat(x + 1) + ":")).join("|") + "|");
  for (const r of rows) out.push(line(r));
  out.push("");
  for (const r of results) {
    out.push(`  ${r.engine}: ${r.how}${r.version ? ` (${r.package} ${r.version})` : ""}`);
    for (const ex of r.mismatch_examples) out.push(`    MISMATCH ${JSON.stringify(ex)}`);
  }
  if (cordon) {
    out.push("");
    out.push(`cordon decisions ${cordon.file}: compared ${cordon.compared}, mismatches ${cordon.mismatches}, ` +
      `missing ${cordon.missing}, unknown ids ${cordon.unknown_ids}, unparsable lines ${cordon.unparsable}`);
    for (const ex of cordon.examples) out.push(`    MISMATCH ${JSON.stringify(ex)}`);
  }
  process.stdout.write(out.join("\n") + "\n");

  if (a.json) {
    const doc = {
      file: a.file, requests_in_file: total, requests_loaded: objects.length,
      reference_decisions: counts,
      machine: { node: process.version, cpus: cpu.length, cpu_model: cpu[0] ? cpu[0].model : null,
        platform: `${os.platform()} ${os.release()}`, total_mem_bytes: os.totalmem() },
      method: `per engine: setup (untimed), 1 warm-up pass over the pre-parsed sample (untimed; its ` +
        `decisions are checked against handwritten), then for each mode (JSON.parse+decide; decide on ` +
        `pre-parsed objects) 1 untimed calibration pass and ${a.reps} timed runs of passes_per_run passes ` +
        `(>= ${a.minTime} s per run); median run rate reported`,
      engines: results, cordon_check: cordon, cordon_rate_given: a.cordonRate,
    };
    fs.writeFileSync(a.json, JSON.stringify(doc, null, 2) + "\n");
  }
  if (sink < 0) process.stdout.write("");
  const bad = results.some((r) => r.mismatches > 0) || (cordon && (cordon.mismatches > 0 || cordon.missing > 0));
  process.exit(bad ? 3 : 0);
}

main().catch((e) => {
  process.stderr.write(`run.mjs: ${e.stack || e}\n`);
  process.exit(1);
});
