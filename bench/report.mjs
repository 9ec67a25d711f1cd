#!/usr/bin/env node
// bench/report.mjs: collects one bench/run into latest.json, latest.md and scaling.dat.
//   node bench/report.mjs --tmp DIR --requests FILE --out bench/results [--seconds S]
// Reads DIR/engine.json (Google Benchmark), DIR/cordon-peers.json and DIR/cordon-us.json
// (`cordon bench`, when it ran), DIR/check-time.txt (/usr/bin/time -v of `cordon check`),
// DIR/peers.json (bench/peers/run.mjs). Every figure is a median of repetitions.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execSync } from "node:child_process";

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
const tmp = args.tmp, out = args.out;
// Google Benchmark writes nan/inf for some aggregates (the cv of a constant counter): not JSON.
const readJson = (f) => {
  try {
    const text = fs.readFileSync(path.join(tmp, f), "utf8").replace(/(:\s*)-?(nan|inf)\b/gi, "$1null");
    return JSON.parse(text);
  } catch { return null; }
};
const readText = (f) => {
  try { return fs.readFileSync(path.join(tmp, f), "utf8"); } catch { return null; }
};
const sh = (cmd) => {
  try { return execSync(cmd, { encoding: "utf8" }).trim(); } catch { return null; }
};

// ---------------------------------------------------------------- machine
const lscpu = sh("lscpu") || "";
const field = (name) => (lscpu.match(new RegExp(`^${name}:\\s*(.*)$`, "m")) || [])[1] || null;
const machine = {
  nproc: Number(sh("nproc")) || os.cpus().length,
  cpu_model: field("Model name") || (os.cpus()[0] || {}).model || null,
  mhz: os.cpus()[0] ? os.cpus()[0].speed : null,
  memory_gib: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  kernel: `${os.platform()} ${os.release()}`,
  load_average_at_report: os.loadavg().map((x) => Math.round(x * 100) / 100),
  compiler: sh("c++ --version | head -1"),
  node: process.version,
  note: "A shared, noisy 2-core machine (other sessions compile at the same time): compare medians, not single runs",
};

// ---------------------------------------------------------------- Google Benchmark
const engine = readJson("engine.json");
const toNs = (b, key) => {
  const f = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 }[b.time_unit || "ns"];
  return b[key] * f;
};
const medians = {};
if (engine) {
  for (const b of engine.benchmarks) {
    if (b.run_type !== "aggregate" || b.aggregate_name !== "median") continue;
    const name = b.run_name || b.name.replace(/_median$/, "");
    medians[name] = {
      real_ns: toNs(b, "real_time"), cpu_ns: toNs(b, "cpu_time"), repetitions: b.repetitions,
      items_per_second: b.items_per_second ?? null,
      counters: Object.fromEntries(Object.entries(b).filter(([k]) =>
        ["fired_per_req", "errors_per_req", "deny_frac", "rules", "threads"].includes(k))),
      label: b.label ?? null,
    };
    if (b.threads) medians[name].threads = b.threads;
  }
  // Each median's spread: the coefficient of variation of its repetitions (wall time).
  for (const b of engine.benchmarks) {
    if (b.run_type !== "aggregate" || b.aggregate_name !== "cv") continue;
    const name = b.run_name || b.name.replace(/_cv$/, "");
    if (medians[name] && typeof b.real_time === "number") medians[name].cv_percent = Math.round(b.real_time * 1000) / 10;
  }
}
// (Sorted by name: with interleaved repetitions Google Benchmark reports in a random order.)
const find = (re) => Object.entries(medians).filter(([n]) => re.test(n)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
const one = (re) => (find(re)[0] || [null, null])[1];

const prebuilt = find(/^BM_DecidePrebuilt\//).map(([n, m]) => ({ name: n.split("/")[1], ns: m.real_ns, cpu_ns: m.cpu_ns, decision: m.label, cv_percent: m.cv_percent ?? null }));
const scaling = [10, 100, 1000, 10000].map((r) => {
  const d = one(new RegExp(`^BM_DecideScaling/${r}(/|$)`));
  const c = one(new RegExp(`^BM_Compile/${r}(/|$)`));
  return { rules: r, decide_ns: d ? d.real_ns : null, decide_cpu_ns: d ? d.cpu_ns : null, decide_cv_percent: d ? d.cv_percent ?? null : null,
    fired_per_request: d ? d.counters.fired_per_req : null, compile_ms: c ? c.real_ns / 1e6 : null };
});
const s100 = scaling.find((s) => s.rules === 100), s10k = scaling.find((s) => s.rules === 10000);
const scalingRatio = s100 && s10k && s100.decide_ns && s10k.decide_ns ? s10k.decide_ns / s100.decide_ns : null;
const inproc = find(/^BM_(DecidePredecoded|DecodeAndDecide|DecodeOnly)\//).map(([n, m]) => ({
  name: n, ns_per_item: m.real_ns, cpu_ns_per_item: m.cpu_ns, items_per_second: m.items_per_second, threads: m.threads || 1, cv_percent: m.cv_percent ?? null,
  deny_fraction: m.counters.deny_frac ?? null,
}));

// ---------------------------------------------------------------- cordon bench, check
const cordonPeers = readJson("cordon-peers.json"), cordonUs = readJson("cordon-us.json");
const cordonPeersNative = readJson("cordon-peers-native.json"), cordonUsNative = readJson("cordon-us-native.json");
const timeText = readText("check-time.txt");
const tv = (label) => {
  const m = timeText && timeText.match(new RegExp(`${label}.*?: (.*)`));
  return m ? m[1].trim() : null;
};
const requestsInFile = Number(sh(`wc -l < '${args.requests}'`)) || null;
const check = timeText ? {
  command: "cordon check -p bench/peers --format json REQUESTS.jsonl > decisions.jsonl (all cores)",
  requests: requestsInFile,
  peak_rss_mib: Number(tv("Maximum resident set size \\(kbytes\\)")) / 1024,
  elapsed: tv("Elapsed \\(wall clock\\) time"),
  user_s: Number(tv("User time \\(seconds\\)")), system_s: Number(tv("System time \\(seconds\\)")),
  exit_status: Number((readText("check-rc.txt") || "").trim()),
  input_mib: fs.existsSync(args.requests) ? fs.statSync(args.requests).size / 2 ** 20 : null,
} : null;
if (check && check.elapsed) {
  const parts = check.elapsed.split(":").map(Number);
  const secs = parts.reduce((a, x) => a * 60 + x, 0);
  check.elapsed_s = secs;
  check.decisions_per_s_wall = requestsInFile ? requestsInFile / secs : null;
}

// ---------------------------------------------------------------- peers
const peers = readJson("peers.json");
const peerRows = peers ? peers.engines.map((e) => ({
  engine: e.engine, version: e.version || null, sample: e.sample,
  with_parse_per_s: e.with_parse.median, without_parse_per_s: e.without_parse.median,
  mismatches: e.mismatches, cordon_times_faster_with_parse: e.cordon_times_faster_with_parse ?? null,
})) : [];
const peer = (name) => peerRows.find((r) => r.engine === name);

// ---------------------------------------------------------------- targets
const oneCore = cordonPeers ? cordonPeers.single_thread_per_s
  : (inproc.find((r) => r.name.startsWith("BM_DecodeAndDecide/peers") && r.threads === 1) || {}).items_per_second;
const processRuns = cordonPeers && cordonPeers.process_runs_single_thread_per_s;
const oneCoreSource = cordonPeers ? "cordon bench -p bench/peers (whole file, one thread" +
    (processRuns ? `; median of ${processRuns.length} processes spread over the run: ${processRuns.map((r) => Math.round(r).toLocaleString("en-US")).join(", ")}` : "") + ")"
  : "cordon_bench_engine BM_DecodeAndDecide/peers threads:1 (1,000 lines cycling; cordon bench not available)";
const vs = (name) => (peer(name) && oneCore ? oneCore / peer(name).with_parse_per_s : null);
const verdict = (ok) => (ok === null || ok === undefined ? "NOT MEASURED" : ok ? "MET" : "NOT MET");
// Pre-built requests, two ways: the rules as native code (`cordon native`) and the tree walk.
const prebuiltOf = (native) => prebuilt.filter((p) => p.name.startsWith("native_") === native);
const worst = (rows) => (rows.length ? Math.max(...rows.map((p) => p.ns)) : null);
const prebuiltRow = (native, label) => {
  const rows = prebuiltOf(native), w = worst(rows);
  return { target: `pre-built request, policies/us: <= 100 ns per decision (${label})`, value: w,
    shown: w && rows.map((p) => `${p.name.replace(/^native_/, "")} ${p.ns.toFixed(0)} ns`).join(", "),
    status: verdict(w === null ? null : w <= 100) };
};
const targets = [
  prebuiltRow(true, "rules as native code, `cordon native`"),
  prebuiltRow(false, "interpreter"),
  { target: "JSONL end to end: >= 1,000,000 decisions/s on one core", value: oneCore,
    shown: oneCore && `${Math.round(oneCore).toLocaleString("en-US")} /s (${oneCoreSource})`,
    status: verdict(oneCore ? oneCore >= 1e6 : null) },
  { target: "JSONL: > 2x the hand-written JS function with JSON.parse", value: vs("handwritten"),
    shown: vs("handwritten") && `${vs("handwritten").toFixed(2)}x`, status: verdict(vs("handwritten") === null ? null : vs("handwritten") > 2) },
  { target: ">= 150x Cedar-wasm", value: vs("cedar"), shown: vs("cedar") && `${vs("cedar").toFixed(0)}x`,
    status: verdict(vs("cedar") === null ? null : vs("cedar") >= 150) },
  { target: ">= 20x CEL", value: vs("cel"), shown: vs("cel") && `${vs("cel").toFixed(1)}x`,
    status: verdict(vs("cel") === null ? null : vs("cel") >= 20) },
  { target: "10,000 rules: <= 3x the per-decision time of 100 rules", value: scalingRatio,
    shown: scalingRatio && `${scalingRatio.toFixed(1)}x (${fmtNs(s10k.decide_ns)} vs ${fmtNs(s100.decide_ns)})`,
    status: verdict(scalingRatio === null ? null : scalingRatio <= 3) },
  { target: "10,000 rules: compile under 1 s", value: s10k && s10k.compile_ms,
    shown: s10k && s10k.compile_ms && `${s10k.compile_ms.toFixed(0)} ms`,
    status: verdict(s10k && s10k.compile_ms ? s10k.compile_ms < 1000 : null) },
  { target: "decisions agree: 0 mismatches (every peer and cordon vs the hand-written reference)",
    value: peers ? peerRows.reduce((a, r) => a + r.mismatches, 0) + (peers.cordon_check ? peers.cordon_check.mismatches + peers.cordon_check.missing : 0) : null,
    shown: peers && `peers ${peerRows.reduce((a, r) => a + r.mismatches, 0)}, cordon ${peers.cordon_check ? `${peers.cordon_check.mismatches} (+${peers.cordon_check.missing} missing) of ${peers.cordon_check.compared}` : "-"}`,
    status: verdict(peers ? peerRows.every((r) => r.mismatches === 0) && (!peers.cordon_check || (peers.cordon_check.mismatches === 0 && peers.cordon_check.missing === 0)) : null) },
];

// "deny a.b c.d" -> "deny, 2 rules fired"
function shortLabel(label) {
  if (!label) return "?";
  const [verdict, ...rules] = label.split(" ").filter((x) => !x.startsWith("errors:"));
  return `${verdict}, ${rules.length} rule${rules.length === 1 ? "" : "s"} fired`;
}
function fmtNs(ns) {
  if (ns === null || ns === undefined) return "-";
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e4) return `${(ns / 1e3).toFixed(1)} us`;
  return `${ns.toFixed(0)} ns`;
}
const fmtRate = (r) => (r ? Math.round(r).toLocaleString("en-US") : "-");

// ---------------------------------------------------------------- write
const doc = {
  generated: new Date().toISOString(), git: sh("git rev-parse --short HEAD"), git_dirty: !!sh("git status --porcelain -- engine dsl cli"),
  machine, run_seconds: Number(args.seconds) || null,
  requests_file: { path: args.requests, lines: requestsInFile, generator: "bench/gen/gen_requests.mjs --seed 42" },
  targets, prebuilt, scaling, scaling_ratio_10000_vs_100: scalingRatio, in_process: inproc,
  cordon_bench: { peers: cordonPeers, us: cordonUs, peers_native: cordonPeersNative, us_native: cordonUsNative }, cordon_check: check, peers: peerRows,
  peers_cordon_check: peers ? peers.cordon_check : null, google_benchmark_medians: medians,
  google_benchmark_context: engine ? engine.context : null,
};
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, "latest.json"), JSON.stringify(doc, null, 2) + "\n");
fs.writeFileSync(path.join(out, "scaling.dat"),
  "# rules  decide_ns_median  compile_ms_median  fired_per_request\n" +
  scaling.map((s) => `${s.rules} ${s.decide_ns ?? "NaN"} ${s.compile_ms ?? "NaN"} ${s.fired_per_request ?? "NaN"}`).join("\n") + "\n");

const md = [];
const table = (head, rows) => {
  md.push(`| ${head.join(" | ")} |`);
  md.push(`|${head.map((_, i) => (i === 0 ? " --- " : " ---: ")).join("|")}|`);
  for (const r of rows) md.push(`| ${r.join(" | ")} |`);
  md.push("");
};
md.push(`# cordon benchmark: latest run`, "");
md.push(`${doc.generated}, git ${doc.git}${doc.git_dirty ? " (engine/dsl/cli modified in the working tree)" : ""}; ` +
  `${machine.nproc} x ${machine.cpu_model}, ${machine.memory_gib} GiB; ${machine.compiler}; node ${machine.node}. ` +
  `${machine.note}. bench/run took ${doc.run_seconds ?? "?"} s.`, "");
md.push("## Targets (issue 5)", "");
table(["target", "measured (median)", "status"], targets.map((t) => [t.target, t.shown || "-", `**${t.status}**`]));
md.push("## One decision, in process (Google Benchmark, policies/us unless named; median of 9)", "");
md.push("Wall time per decision (Google Benchmark's `Time`), and the thread's CPU time, which the other",
  "sessions on the machine disturb less. decisions/s = 1 / wall time (with 2 threads: both threads' decisions per wall second).", "");
const fmtCv = (cv) => (cv === null || cv === undefined ? "-" : `${cv}%`);
table(["benchmark", "ns per decision (wall)", "CPU ns", "decisions/s", "threads", "cv of repetitions"], [
  ...prebuilt.map((p) => [`BM_DecidePrebuilt/${p.name} (RequestBuilder; ${shortLabel(p.decision)})`, fmtNs(p.ns), fmtNs(p.cpu_ns), fmtRate(1e9 / p.ns), "1", fmtCv(p.cv_percent)]),
  ...inproc.map((r) => [r.name.replace(/\/repeats:\d+/, "").replace(/\/real_time/, ""), fmtNs(r.ns_per_item),
    r.threads === 1 ? fmtNs(r.cpu_ns_per_item) : "-", fmtRate(r.threads === 1 ? 1e9 / r.ns_per_item : r.items_per_second), String(r.threads), fmtCv(r.cv_percent)]),
]);
md.push("## Scaling with the number of rules (synthetic sets; 256 pre-decoded requests cycling)", "");
table(["rules", "ns per decision (wall)", "CPU ns", "cv of repetitions", "x 100 rules", "rules fired per request", "load + compile"], scaling.map((s) => [
  s.rules.toLocaleString("en-US"), fmtNs(s.decide_ns), fmtNs(s.decide_cpu_ns), fmtCv(s.decide_cv_percent), s100 && s.decide_ns ? `${(s.decide_ns / s100.decide_ns).toFixed(2)}x` : "-",
  s.fired_per_request === null || s.fired_per_request === undefined ? "-" : s.fired_per_request.toFixed(2),
  s.compile_ms === null ? "-" : `${s.compile_ms.toFixed(1)} ms`]));
const cpuRatio = s100 && s10k && s100.decide_cpu_ns && s10k.decide_cpu_ns ? s10k.decide_cpu_ns / s100.decide_cpu_ns : null;
md.push(`Ratio 10,000 rules vs 100 rules: **${scalingRatio ? scalingRatio.toFixed(1) + "x" : "-"}** wall` +
  `${cpuRatio ? `, ${cpuRatio.toFixed(1)}x CPU` : ""} (target <= 3x).`, "");
md.push(`## JSONL end to end (${requestsInFile ? requestsInFile.toLocaleString("en-US") : "?"} generated requests)`, "");
const cb = [];
for (const [name, c] of [["bench/peers", cordonPeers], ["policies/us", cordonUs],
  ["bench/peers --native", cordonPeersNative], ["policies/us --native", cordonUsNative]]) {
  if (!c) continue;
  cb.push([`cordon bench -p ${name} (${c.rules} rules)`, fmtRate(c.single_thread_per_s), `${fmtRate(c.multi_thread_per_s)} (${c.threads} threads)`,
    `p50 ${c.latency_ns.p50} / p99 ${c.latency_ns.p99} / p99.9 ${c.latency_ns.p999}`, `${c.peak_rss_mib} MiB`]);
}
if (check) cb.push([`cordon check -p bench/peers --format json (writes every decision)`, "-",
  `${fmtRate(check.decisions_per_s_wall)} (wall, incl. load, read, output)`, "-", `${check.peak_rss_mib.toFixed(1)} MiB (input ${check.input_mib.toFixed(0)} MiB)`]);
if (cb.length) table(["run", "decisions/s one thread", "decisions/s all cores", "latency ns", "peak RSS"], cb);
else md.push("cordon bench did not run.", "");
if (peers) {
  md.push("## Peers (bench/peers/run.mjs, Node.js " + machine.node + "; JSON.parse + decide, one thread)", "");
  const hw = peer("handwritten");
  table(["engine", "sample", "dec/s with parse", "dec/s without parse", "cordon / engine (with parse)", "mismatches"], [
    ...peerRows.map((r) => [r.engine + (r.version ? ` ${r.version}` : ""), r.sample.toLocaleString("en-US"), fmtRate(r.with_parse_per_s),
      fmtRate(r.without_parse_per_s), oneCore ? `${(oneCore / r.with_parse_per_s).toFixed(r.engine === "handwritten" ? 2 : 1)}x` : "-", String(r.mismatches)]),
    ["cordon (one core, decode + decide)", requestsInFile ? requestsInFile.toLocaleString("en-US") : "-", fmtRate(oneCore), "-", "1x",
      peers.cordon_check ? `${peers.cordon_check.mismatches} (+${peers.cordon_check.missing} missing)` : "-"],
  ]);
  if (hw) md.push(`cordon's one-core rate is from ${oneCoreSource}.`, "");
}
fs.writeFileSync(path.join(out, "latest.md"), md.join("\n"));
