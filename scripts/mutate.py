#!/usr/bin/env python3
"""Mutation testing of cordon's compiler and evaluator (python3, standard library only).

Applies one single-point mutation at a time (a comparison flipped, `<` made `<=`, `&&` made
`||`, `true` made `false`, a conjunct dropped from a condition, a condition negated, an
effect or verdict swapped, a comparison in the flip table changed) to one of the engine's
sources, in a scratch copy of the tree (never in place), rebuilds `cordon_tests` and
`cordon` there incrementally (ccache), runs the test commands (TESTS below: a list that can
grow), and records whether some test failed (the mutant is killed) or none did (it
survived). Prints a summary table; writes every result as one JSON line to --out.

    scripts/mutate.py --list                  # every mutation site, numbered
    scripts/mutate.py --limit 20 --seed 1     # 20 mutants drawn uniformly from every site
    scripts/mutate.py --limit 20 --per-file   # 20 mutants, drawn in turn from each file
    scripts/mutate.py --files evaluate.cpp,index.cpp --budget-minutes 25
    scripts/mutate.py --ids 12,40             # these sites (numbers from --list)

A mutant that does not compile is counted apart (not in the score); one whose tests time
out or crash is killed. Score = killed / (killed + survived). See docs/mutation.md.
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The files mutated (under engine/src).
# Every file that takes part in a decision. Regions that can only change speed (a cost
# estimate, a likelihood that orders conjuncts) are marked in the source and skipped:
#     // mutation: skip from here: <why it cannot change a decision>
#     ...
#     // mutation: skip to here
# or, for one line, a trailing `// mutation: skip line: <why>`. `--excluded` lists them.
# Each file by its folder (the stage of the pipeline it belongs to, engine/README.md).
FOLDER = {"evaluate.cpp": "run", "candidates.cpp": "index", "candidates.hpp": "index", "compile.cpp": "compile", "constants.cpp": "compile", "plan.cpp": "passes",
          "index.cpp": "index", "families.cpp": "passes", "twins.cpp": "passes", "native_source.cpp": "native",
          "native_code.cpp": "native", "decode.cpp": "io"}
# The planner's passes, one file each since session 12 (plan.cpp runs them in order).
FOLDER.update({f: "passes" for f in ("node_facts.cpp", "rewrite.cpp", "spelled_lets.cpp", "let_passes.cpp", "unions.cpp",
                                     "attr_true.cpp", "shared_lets.cpp", "conjuncts.cpp", "guards.cpp", "key_tables.cpp")})
FILES = list(FOLDER)


def source_path(root, file):
    """The path of a mutated file (a name in FILES) under the tree ROOT."""
    return os.path.join(root, "engine", "src", FOLDER[file], file)

# The test commands, cheapest first: the first that fails kills the mutant. {build} is the
# scratch build directory, {src} the scratch source tree. The unit tests run without their
# time-boxed differential case (its number of sets depends on the machine's load); the
# differential test runs instead as `cordon_difftest` over a fixed number of generated sets
# with a fixed seed, every compiler-pass configuration, so each mutant meets the same sets.
DIFF_SETS = 40
TESTS = [
    ("policies_us", ["{build}/cordon", "test", "{src}/policies/us"]),
    ("differential", ["{build}/tests/cordon_difftest", "--seed", "16", "--sets", str(DIFF_SETS), "--seconds", "100000",
                      "--native-sets", "0", "--pass-configs", "-1", "--out", "{build}/difftest-out"]),
    ("unit", ["{build}/tests/cordon_tests", "--abort-after=1", "--no-intro=true", "--no-version=true",
              "--test-case-exclude=differential: every engine*"]),
    ("cli_golden", ["{src}/tests/cli/golden.sh", "{build}/cordon"]),
]
TARGETS = ["cordon", "cordon_tests", "cordon_difftest"]
# Builds and tests run under `nice -n 19` (--nice), so that other work on the machine goes first.
NICE = ["nice", "-n", "19"]


def differential_tests(src, build):
    """Test commands of a differential tester, when one exists beside the unit tests:
    an executable tests/unit/differential* script, or a built cordon_differential*."""
    out = []
    unit = os.path.join(src, "tests", "unit")
    for name in sorted(os.listdir(unit)) if os.path.isdir(unit) else []:
        path = os.path.join(unit, name)
        if name.startswith("differential") and os.access(path, os.X_OK) and not name.endswith((".cpp", ".hpp")):
            out.append((name, [path, os.path.join(build, "cordon")]))
    for name in sorted(os.listdir(build)) if os.path.isdir(build) else []:
        path = os.path.join(build, name)
        if name.startswith("cordon_differential") and os.path.isfile(path) and os.access(path, os.X_OK):
            out.append((name, [path]))
    return out


# ---------------------------------------------------------------- mutation sites

class Site:
    """One single-point mutation: in `file`, line `line` (1-based) becomes `new`."""

    def __init__(self, file, line, operator, old, new):
        self.file, self.line, self.operator, self.old, self.new = file, line, operator, old, new

    def describe(self):
        return f"{self.file}:{self.line} [{self.operator}] {self.old.strip()}  ->  {self.new.strip()}"


def masked(line, keep_strings):
    """The line with comments (and, unless keep_strings, string literals) blanked out, so
    that mutation patterns match code only. Same length as `line`."""
    out = []
    i, n = 0, len(line)
    in_str = None
    while i < n:
        c = line[i]
        if in_str:
            if c == "\\" and i + 1 < n:
                out.append("  " if not keep_strings else line[i:i + 2])
                i += 2
                continue
            if c == in_str:
                in_str = None
                out.append(c)
            else:
                out.append(c if keep_strings else " ")
            i += 1
            continue
        if line.startswith("//", i):
            out.append(" " * (n - i))
            break
        if c == '"' or (c == "'" and not (i > 0 and line[i - 1].isalnum())):
            in_str = c
        out.append(c)
        i += 1
    return "".join(out)


# (pattern on the masked line, replacement, operator name). Comparisons need blanks on both
# sides, so template brackets, `->`, `<<` and `>>` are never taken for them.
SIMPLE = [
    (r"(?<=\s)==(?=\s)", "!=", "eq_to_ne"),
    (r"(?<=\s)!=(?=\s)", "==", "ne_to_eq"),
    (r"(?<=\s)<(?=\s)", "<=", "lt_to_le"),
    (r"(?<=\s)<=(?=\s)", "<", "le_to_lt"),
    (r"(?<=\s)>(?=\s)", ">=", "gt_to_ge"),
    (r"(?<=\s)>=(?=\s)", ">", "ge_to_gt"),
    (r"(?<=\s)&&(?=\s)", "||", "and_to_or"),
    (r"(?<=\s)\|\|(?=\s)", "&&", "or_to_and"),
    (r"\btrue\b", "false", "true_to_false"),
    (r"\bfalse\b", "true", "false_to_true"),
    (r"(?<=\s)\+(?=\s)", "-", "plus_to_minus"),
    (r"(?<=\s)-(?=\s)", "+", "minus_to_plus"),
    # The flip table and the comparisons the compiler and evaluator dispatch on.
    (r"\bNodeOp::Lt\b", "NodeOp::Le", "op_lt_to_le"),
    (r"\bNodeOp::Le\b", "NodeOp::Lt", "op_le_to_lt"),
    (r"\bNodeOp::Gt\b", "NodeOp::Ge", "op_gt_to_ge"),
    (r"\bNodeOp::Ge\b", "NodeOp::Gt", "op_ge_to_gt"),
    (r"\bNodeOp::Eq\b", "NodeOp::Ne", "op_eq_to_ne"),
    (r"\bNodeOp::Ne\b", "NodeOp::Eq", "op_ne_to_eq"),
    # Effects and verdicts.
    (r"\bEffect::Deny\b", "Effect::Report", "effect_deny_to_report"),
    (r"\bEffect::Report\b", "Effect::Allow", "effect_report_to_allow"),
    (r"\bEffect::Allow\b", "Effect::Deny", "effect_allow_to_deny"),
    (r"\bVerdict::Deny\b", "Verdict::Allow", "verdict_deny_to_allow"),
    (r"\bVerdict::Report\b", "Verdict::Allow", "verdict_report_to_allow"),
]

SKIP = re.compile(r"^\s*(#|static_assert|//)")
SKIP_FROM = re.compile(r"//\s*mutation: skip from here: (.+)")
SKIP_TO = re.compile(r"//\s*mutation: skip to here")
SKIP_LINE = re.compile(r"//\s*mutation: skip line: (.+)")


def excluded_regions(file, text):
    """(first line, last line, reason) of each region marked as unable to change a decision."""
    out, start = [], None
    for number, line in enumerate(text.split("\n"), start=1):
        if m := SKIP_FROM.search(line):
            if start:
                sys.exit(f"error: {file}:{number}: `mutation: skip from here` inside another (from line {start[0]})")
            start = (number, m.group(1).strip())
        elif SKIP_TO.search(line):
            if not start:
                sys.exit(f"error: {file}:{number}: `mutation: skip to here` without a `skip from here`")
            out.append((start[0], number, start[1]))
            start = None
        elif m := SKIP_LINE.search(line):
            out.append((number, number, m.group(1).strip()))
    if start:
        sys.exit(f"error: {file}:{start[0]}: `mutation: skip from here` is never closed")
    return out


def close_paren(code, open_at):
    """Index of the parenthesis closing the one at `open_at`, or -1 (not on this line)."""
    depth = 0
    for i in range(open_at, len(code)):
        if code[i] == "(":
            depth += 1
        elif code[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


def top_level_split(code, begin, end, op):
    """Spans of the operands of `op` at parenthesis depth 0 within code[begin:end]."""
    spans, depth, start, i = [], 0, begin, begin
    while i < end:
        c = code[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0 and code.startswith(op, i):
            spans.append((start, i))
            start = i + len(op)
            i += len(op)
            continue
        i += 1
    spans.append((start, end))
    return spans


def condition_sites(file, number, line, code):
    """Dropped conjuncts and negated conditions of the `if (...)`/`while (...)` on a line."""
    out = []
    for m in re.finditer(r"\b(if|while)\s*\(", code):
        open_at = m.end() - 1
        close = close_paren(code, open_at)
        if close < 0:
            continue
        inner = (open_at + 1, close)
        text = line[inner[0]:inner[1]]
        if not text.strip() or ";" in code[inner[0]:inner[1]]:  # (`if (auto x = ...; x)`: left alone)
            continue
        out.append(Site(file, number, "negate_condition", line, line[:inner[0]] + "!(" + text + ")" + line[inner[1]:]))
        spans = top_level_split(code, inner[0], inner[1], "&&")
        if len(spans) >= 2:
            for k in range(len(spans)):
                kept = [line[a:b].strip() for j, (a, b) in enumerate(spans) if j != k]
                out.append(Site(file, number, "drop_conjunct", line, line[:inner[0]] + " && ".join(kept) + line[inner[1]:]))
    return out


def sites_of(file, text):
    keep_strings = file == "native_source.cpp"  # its string literals are the generated code
    skipped = set()
    for first, last, _ in excluded_regions(file, text):
        skipped.update(range(first, last + 1))
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        if SKIP.match(line) or number in skipped:
            continue
        code = masked(line, keep_strings)
        for pattern, replacement, name in SIMPLE:
            if name in ("plus_to_minus", "minus_to_plus") and '"' in line:
                continue  # (string concatenation: a mutant that does not compile)
            for m in re.finditer(pattern, code):
                out.append(Site(file, number, name, line, line[:m.start()] + replacement + line[m.end():]))
        out.extend(condition_sites(file, number, line, masked(line, False)))
    return out


def all_sites(src, files):
    sites = []
    for f in files:
        with open(source_path(src, f)) as fh:
            sites.extend(sites_of(f, fh.read()))
    return sites


def sample(sites, limit, seed, per_file=False):
    """`limit` sites drawn by `seed`: uniformly from every site (each mutant as likely as any
    other, so the sample's score estimates the score of all the sites), or with `per_file`
    in turn from each file (each file's shuffled), which reaches every file in a small
    sample but weighs a file of 3 sites as much as one of 581."""
    rng = random.Random(seed)
    if not per_file:
        order = list(range(len(sites)))
        rng.shuffle(order)
        return order[:limit] if limit else order
    by_file = {}
    for i, s in enumerate(sites):
        by_file.setdefault(s.file, []).append(i)
    for ids in by_file.values():
        rng.shuffle(ids)
    order = []
    while any(by_file.values()):
        for f in sorted(by_file):
            if by_file[f]:
                order.append(by_file[f].pop())
    return order[:limit] if limit else order


# ---------------------------------------------------------------- scratch tree and runs

def sync_scratch(scratch):
    """Copies the tree's files (tracked and new, as they are now) to scratch/src, keeping its
    build directory; only changed files are rewritten, so builds stay incremental."""
    src = os.path.join(scratch, "src")
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.split("\n")
    for rel in filter(None, listed):
        a, b = os.path.join(ROOT, rel), os.path.join(src, rel)
        if not os.path.isfile(a):
            continue
        with open(a, "rb") as fa:
            data = fa.read()
        if os.path.isfile(b):
            with open(b, "rb") as fb:
                if fb.read() == data:
                    continue
        os.makedirs(os.path.dirname(b), exist_ok=True)
        with open(b, "wb") as fb:
            fb.write(data)
        shutil.copymode(a, b)
    # Files gone from the tree are removed from the copy (a stale test file would still be
    # globbed into cordon_tests); the copy's build directory is kept.
    wanted = set(filter(None, listed))
    for folder, dirs, names in os.walk(src):
        rel_folder = os.path.relpath(folder, src)
        if rel_folder == ".":
            dirs[:] = [d for d in dirs if d != "build"]
        for name in names:
            rel = os.path.normpath(os.path.join(rel_folder, name))
            if rel not in wanted:
                os.remove(os.path.join(folder, name))
    return src


def env_for(scratch):
    env = dict(os.environ)
    env["CCACHE_BASEDIR"] = scratch
    return env


def build(src, build_dir, scratch, timeout, configure=False):
    """Configures (when asked, or the first time) and builds TARGETS; (ok, log tail)."""
    nice = NICE
    env = env_for(scratch)
    if configure or not os.path.isfile(os.path.join(build_dir, "CMakeCache.txt")):
        # libstdc++'s assertions: a mutant that reads an empty std::optional or indexes a
        # vector past its end aborts at once (a crash, killed) instead of reading garbage that
        # may happen to pass (session 16: unions.cpp's `!ml || !mr` made `!ml && !mr`).
        # And the engine's own assertions (no NDEBUG: -O2 without it, since session 18): a
        # mutant that asks a node for an operand its kind does not have (CORDON_NODE_VALID)
        # or a kid past its count aborts instead of reading another field by luck.
        # ccache, when installed, gives back the unmutated object when a file is restored.
        # (Set either way: the scratch build's cache may name ccache from an earlier run.)
        launcher = ["-DCMAKE_CXX_COMPILER_LAUNCHER=" + ("ccache" if shutil.which("ccache") else "")]
        if not shutil.which("ccache"):
            print("note: ccache not found: each mutant's file is compiled twice (apt-get install ccache)")
        r = subprocess.run(nice + ["cmake", "-S", src, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release",
                                   "-DCMAKE_CXX_FLAGS=-D_GLIBCXX_ASSERTIONS", "-DCMAKE_CXX_FLAGS_RELEASE=-O2",
                                   *launcher, "-DCORDON_BENCH=OFF"],
                           env=env, capture_output=True, text=True)
        if r.returncode != 0:
            return False, r.stdout[-2000:] + r.stderr[-2000:]
    try:
        r = subprocess.run(nice + ["cmake", "--build", build_dir, "-j2", "--target"] + TARGETS,
                           env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, "build timed out"
    return r.returncode == 0, (r.stdout + r.stderr)[-3000:]


def run_tests(tests, src, build_dir, timeout, took=None):
    """Runs the commands in order; (None, seconds) when all pass, else (name of the
    first that failed, seconds) with ":timeout" or ":crash" appended when it did not fail
    cleanly, and the first failing doctest case or golden after a space when it names one."""
    start = time.time()
    for name, command in tests:
        argv = NICE + [part.format(build=build_dir, src=src) for part in command]
        t0 = time.time()
        try:
            r = subprocess.run(argv, cwd=src, capture_output=True, timeout=timeout(name) if callable(timeout) else timeout)
        except subprocess.TimeoutExpired:
            return name + ":timeout", time.time() - start
        if r.returncode != 0:
            text = r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace")
            where = ""
            for block in re.split(r"^={20,}$", text, flags=re.M):  # doctest: a block per case that printed
                case = re.search(r"TEST CASE:\s+(.*)", block)
                if case and re.search(r"ERROR|CRASHED|SIG[A-Z]+", block):
                    where = f" ({case.group(1).strip()})"
                    break
            golden = re.search(r"^FAIL (\S+?):? ", text, re.M)
            if not where and golden:
                where = f" ({golden.group(1)})"
            return name + (":crash" if r.returncode < 0 else "") + where, time.time() - start
        if took is not None:
            took[name] = time.time() - t0
    return None, time.time() - start


def apply(src, site):
    path = source_path(src, site.file)
    with open(path) as fh:
        original = fh.read()
    lines = original.split("\n")
    assert lines[site.line - 1] == site.old, f"{site.describe()}: the line changed"
    lines[site.line - 1] = site.new
    with open(path, "w") as fh:
        fh.write("\n".join(lines))
    return path, original


def summary(results, uniform=False):
    rows = {}
    for r in results:
        for key in (r["file"], "all"):
            row = rows.setdefault(key, {"killed": 0, "survived": 0, "no_build": 0})
            row[r["outcome"]] += 1
    lines = ["| file | mutants | killed | survived | did not build | score |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for key in sorted(rows, key=lambda k: (k == "all", k)):
        row = rows[key]
        scored = row["killed"] + row["survived"]
        score = f"{100.0 * row['killed'] / scored:.0f}%" if scored else "-"
        lines.append(f"| {key} | {scored + row['no_build']} | {row['killed']} | {row['survived']} | {row['no_build']} | {score} |")
    all_row = rows.get("all")
    if uniform and all_row and all_row["killed"] + all_row["survived"]:
        low, high = wilson(all_row["killed"], all_row["killed"] + all_row["survived"])
        lines.append(f"\nscore {100.0 * all_row['killed'] / (all_row['killed'] + all_row['survived']):.1f}%; "
                     f"of every site, 95% interval {100 * low:.1f}% to {100 * high:.1f}% (Wilson; a uniform sample only)")
    return "\n".join(lines)


def wilson(k, n, z=1.96):
    """The Wilson score interval of a proportion k/n (95% with the default z)."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--list", action="store_true", help="list every mutation site (numbered) and exit")
    ap.add_argument("--excluded", action="store_true", help="list the regions marked as unable to change a decision and exit")
    ap.add_argument("--limit", type=int, default=0, help="at most N mutants (0: all)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the sample (default 1)")
    ap.add_argument("--per-file", action="store_true",
                    help="draw the sample in turn from each file (the samples of sessions 11 to 16) instead of uniformly")
    ap.add_argument("--files", default=",".join(FILES), help="comma-separated files of engine/src to mutate")
    ap.add_argument("--ids", default="", help="comma-separated site numbers (from --list) instead of a sample")
    ap.add_argument("--budget-minutes", type=float, default=0, help="stop starting mutants after this long (0: no limit)")
    ap.add_argument("--scratch", default="/tmp/cordon-mutate", help="scratch directory (kept between runs)")
    ap.add_argument("--out", default="", help="JSON lines of results (default: SCRATCH/results.jsonl)")
    ap.add_argument("--test-timeout", type=float, default=0, help="seconds per test command (default: 3x its clean run, at least 30)")
    ap.add_argument("--unit-exclude", default="",
                    help="more doctest cases to leave out of the unit tests (doctest filters, comma-separated; "
                         "e.g. '*native code*' for a run over the decoder). It can only lower the score: a mutant "
                         "that only those cases would kill counts as survived")
    ap.add_argument("--nice", type=int, default=19,
                    help="niceness of builds and tests (default 19; 0 to go before a long fuzz run at 19)")
    args = ap.parse_args()
    NICE[2] = str(args.nice)

    files = [f.strip() for f in args.files.split(",") if f.strip()]
    unknown = [f for f in files if f not in FILES]
    if unknown:
        sys.exit(f"error: --files: {', '.join(unknown)} (known: {', '.join(FILES)})")
    sites = all_sites(ROOT, files)
    if args.excluded:
        for f in files:
            with open(source_path(ROOT, f)) as fh:
                for first, last, why in excluded_regions(f, fh.read()):
                    print(f"{f}:{first}" + (f"-{last}" if last != first else "") + f"  {why}")
        return 0
    if args.list:
        for i, s in enumerate(sites):
            print(f"{i:5d}  {s.describe()}")
        counts = {}
        for s in sites:
            counts[s.operator] = counts.get(s.operator, 0) + 1
        print(f"{len(sites)} sites: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), file=sys.stderr)
        return 0
    if args.ids:
        try:
            chosen = [int(x) for x in args.ids.split(",") if x.strip()]
        except ValueError:
            sys.exit("error: --ids: numbers from --list, comma-separated")
        bad = [i for i in chosen if not 0 <= i < len(sites)]
        if bad:
            sys.exit(f"error: --ids: no site {bad[0]} (0..{len(sites) - 1})")
    else:
        chosen = sample(sites, args.limit, args.seed, args.per_file)

    scratch = os.path.abspath(args.scratch)
    os.makedirs(scratch, exist_ok=True)
    src = sync_scratch(scratch)
    build_dir = os.path.join(src, "build")
    out_path = args.out or os.path.join(scratch, "results.jsonl")
    print(f"scratch tree {src}; {len(sites)} sites, {len(chosen)} chosen", flush=True)

    ok, log = build(src, build_dir, scratch, timeout=3600, configure=True)  # (the tree may have new targets)
    if not ok:
        sys.exit("error: the unmutated tree does not build:\n" + log)
    tests = TESTS + differential_tests(src, build_dir)
    if args.unit_exclude:
        tests = [(name, [part + "," + args.unit_exclude if part.startswith("--test-case-exclude=") else part for part in command])
                 for name, command in tests]
    clean = {}
    failed, clean_seconds = run_tests(tests, src, build_dir, timeout=3600, took=clean)
    if failed:
        sys.exit(f"error: the unmutated tree fails its tests ({failed}): fix that first")
    # Per command: 3x its clean run, at least 30 s (a mutant that loops is killed soon).
    test_timeout = (lambda name: args.test_timeout) if args.test_timeout else (lambda name: max(30.0, 3 * clean[name]))
    print(f"clean run: tests {', '.join(n for n, _ in tests)} pass in {clean_seconds:.0f} s", flush=True)

    started = time.time()
    results = []
    with open(out_path, "a") as out:
        for n, index in enumerate(chosen, start=1):
            if args.budget_minutes and time.time() - started > args.budget_minutes * 60:
                print(f"budget of {args.budget_minutes} minutes spent: stopping after {n - 1} mutants", flush=True)
                break
            site = sites[index]
            path, original = apply(src, site)
            t0 = time.time()
            try:
                built, log = build(src, build_dir, scratch, timeout=1800)
                if not built:
                    outcome, by = "no_build", None
                else:
                    by, _ = run_tests(tests, src, build_dir, test_timeout)
                    outcome = "killed" if by else "survived"
            finally:
                with open(path, "w") as fh:
                    fh.write(original)
            record = {"id": index, "file": site.file, "line": site.line, "operator": site.operator,
                      "old": site.old.strip(), "new": site.new.strip(), "outcome": outcome, "killed_by": by,
                      "seconds": round(time.time() - t0, 1)}
            results.append(record)
            out.write(json.dumps(record) + "\n")
            out.flush()
            print(f"[{n}/{len(chosen)}] {outcome:8s} {site.describe()}" + (f"  (by {by})" if by else "")
                  + f"  {record['seconds']:.0f} s", flush=True)
    print()
    print(summary(results, uniform=not (args.ids or args.per_file or args.files != ",".join(FILES))))
    survivors = [r for r in results if r["outcome"] == "survived"]
    if survivors:
        print("\nsurvivors:")
        for r in survivors:
            print(f"  #{r['id']} {r['file']}:{r['line']} [{r['operator']}] {r['old']}  ->  {r['new']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
