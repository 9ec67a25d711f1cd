#!/usr/bin/env python3
"""Hostile-input scaling check: every input cordon reads must cost linear work.

For each shape below (a policy set whose rule, schema or data file grows with n), runs
`cordon lint` at n and at 4n and prints the CPU time of each and their ratio. Linear
work gives about 4x; quadratic work gives 16x. A shape whose ratio is above --max-ratio
(default 8), or whose larger run takes more than --max-seconds, fails the run (exit 1).
The time is the best of --repeat runs (this is a check of growth, not a benchmark).
Two shapes grow quadratically until a limit refuses them (CAPPED below): at the default
n their larger run must be refused; a smaller --n leaves them under the limit, and failing.

    scripts/scaling.py --cordon build/cordon                 # every shape
    scripts/scaling.py --cordon build/cordon --only sets_one_line --n 20000
"""
import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile

MANIFEST = "name: scaling\nschema: schema.yaml\ndefault: allow\n"
SCHEMA = "customer: { country: country, kind: string }\n"


def rules(body, uses=""):
    return ("policy p {\n  status in_force\n" + uses +
            "  rule r {\n    deny when " + body + "\n    because \"x\"\n  }\n}\n")


def sets_file(data, name):
    """A sets file and a rule testing `customer.kind` against its set `name`."""
    return {"data.yaml": data, "r.cordon": rules(f"customer.kind in {name}", '  use sets from "data.yaml"\n')}


def table_file(data):
    """A table file and a rule testing `customer.kind` against its keys."""
    return {"data.yaml": data, "r.cordon": rules("customer.kind in t", '  use table t from "data.yaml"\n')}


def shape_sets_one_line(n):
    data = "{" + ", ".join(f's{i}: ["US"]' for i in range(n)) + "}\n"
    return sets_file(data, "s0")


def shape_sets_one_line_plain(n):
    data = "{" + ", ".join(f"s{i}: [US, CN, XX]" for i in range(n)) + "}\n"
    return sets_file(data, "s0")


def shape_set_members_one_line(n):
    data = "big: [" + ", ".join(f'"M{i}"' for i in range(n)) + "]\n"
    return sets_file(data, "big")


def shape_set_name_twice(n):
    data = "".join(f"s: [\"US\"]\n" for _ in range(n))
    return sets_file(data, "s")


def day(i):
    return (datetime.date(1990, 1, 1) + datetime.timedelta(days=2 * i)).isoformat()


def shape_set_dated_member(n):
    # one member with n dated windows that do not overlap
    items = ", ".join(f'"KH": {{since: {day(i)}, until: {day(i + 1)}}}' for i in range(n))
    return sets_file(f"big: [{items}]\n", "big")


def shape_table_one_line(n):
    data = "{" + ", ".join(f"k{i}: {{v: {i}}}" for i in range(n)) + "}\n"
    return table_file(data)


def shape_table_wide_row(n):
    data = "k: {" + ", ".join(f"c{i}: {i}" for i in range(n)) + "}\n"
    return table_file(data)


def shape_table_many_columns(n):
    data = "".join(f"k{i}: {{c{i}: {i}}}\n" for i in range(n))
    return table_file(data)


def shape_table_dated_rows(n):
    items = ", ".join(f"{{since: {day(i)}, until: {day(i + 1)}, v: {i}}}" for i in range(n))
    return table_file(f"k: [{items}]\n")


def shape_table_dated_keys(n):
    # n/4 keys, each with one dated row of its own days: n/2 windows of days and n/4 keys
    data = "".join(f"k{i}: [{{since: {day(2 * i)}, until: {day(2 * i + 1)}, v: {i}}}]\n" for i in range(n // 4))
    return table_file(data)


def shape_sets_dated_members(n):
    # n members of one set, each with a window of its own days: n windows and n strings
    items = ", ".join(f'"M{i}": {{since: {day(2 * i)}, until: {day(2 * i + 1)}}}' for i in range(n))
    return sets_file(f"big: [{items}]\n", "big")


def shape_literal_sets(n):
    # n/10 rules, each with a literal set of its own: a bitset over every string per set
    return {"r.cordon": many_rules(f'customer.kind in {{"v{i}", "w{i}"}}' for i in range(0, n, 10))}


def shape_anchors_one_line(n):
    # every set's list anchored, on one line
    return sets_file("{" + ", ".join(f'set{i}: &a{i} ["US"]' for i in range(n)) + "}\n", "set0")


def shape_tagged_members(n):
    # dated members written with a tag, on one line
    items = ", ".join(f'!!map {{"M{i}": {{since: {day(2 * i)}, until: {day(2 * i + 1)}}}}}' for i in range(n // 8))
    return sets_file(f"big: [{items}]\n", "big")


def shape_enforce_list(n):
    return {"cordon.yaml": MANIFEST + "enforce: [" + ", ".join("in_force" for _ in range(n)) + "]\n",
            "r.cordon": rules('customer.kind == "x"')}


def shape_country_attributes(n):
    # n/10 country attributes, each tested against one set of n members in a rule of its own
    k = n // 10
    schema = "customer: { country: country, kind: string }\nc: {" + ", ".join(f"a{i}: country" for i in range(k)) + "}\n"
    data = "big: [" + ", ".join(f'"M{i}"' for i in range(n)) + "]\n"
    return {"schema.yaml": schema, "data.yaml": data,
            "r.cordon": many_rules((f"c.a{i} in big" for i in range(k)), '  use sets from "data.yaml"\n')}


def shape_costly_lets_dated(n):
    # n/2 windows of days in one member, n/1000 costly lets over them keyed on a string
    items = ", ".join(f'"KH": {{since: {day(2 * i)}, until: {day(2 * i + 1)}}}' for i in range(n // 4))
    lets = "".join(f'  let l{j} = customer.kind in big and customer.kind != "a{j}" and customer.kind != "b" and '
                   f'customer.kind != "c" and customer.kind != "d" and customer.kind != "e" and customer.kind != "f"\n'
                   for j in range(max(1, n // 1000)))
    body = " or ".join(f"l{j}" for j in range(max(1, n // 1000)))
    return {"data.yaml": f"big: [{items}]\n", "r.cordon": rules(body, '  use sets from "data.yaml"\n' + lets)}


def shape_schema_fields(n):
    schema = "customer: { country: country, kind: string }\nextra: {" + ", ".join(f"f{i}: number" for i in range(n)) + "}\n"
    return {"schema.yaml": schema, "r.cordon": rules('customer.country == "CN"')}


def shape_schema_fields_block(n):
    schema = "customer: { country: country, kind: string }\nextra:\n" + "".join(f"  f{i}: number\n" for i in range(n))
    return {"schema.yaml": schema, "r.cordon": rules('customer.country == "CN"')}


def many_rules(bodies, uses=""):
    return ("policy p {\n  status in_force\n" + uses + "".join(
        f'  rule r{i} {{\n    deny when {b}\n    because "x"\n    cite "c"\n  }}\n' for i, b in enumerate(bodies)) + "}\n")


def shape_schema_nested(n):
    # n fields under 60 levels of records (a path of about 250 bytes each)
    nest = "".join(f"{{r{k}: " for k in range(60))
    inner = "{" + ", ".join(f"f{i}: number" for i in range(n)) + "}"
    return {"schema.yaml": "customer: { country: country, kind: string }\nx: " + nest + inner + "}" * 60 + "\n",
            "r.cordon": rules('customer.kind == "x"')}


def shape_enum_literals(n):
    # n enum values, n/10 rules each comparing with one of them
    kinds = ", ".join(f"k{i}" for i in range(n))
    schema = f'customer: {{ country: country, kind: "enum[{kinds}]" }}\n'
    return {"schema.yaml": schema, "r.cordon": many_rules(f'customer.kind == "k{i}"' for i in range(0, n, 10))}


def shape_unknown_names(n):
    # n sets, n/10 rules each naming a set that does not exist (a near miss of one that does)
    data = "".join(f's{i}: ["US"]\n' for i in range(n))
    return {"data.yaml": data,
            "r.cordon": many_rules((f"customer.kind in s{i}x" for i in range(0, n, 10)), '  use sets from "data.yaml"\n')}


def shape_many_rules(n):
    # n/2 rules (80,000 rules of 4n take 2.9 MB: under the 4 MiB of one rule file)
    text = "policy p {\n  status in_force\n" + "".join(
        f'  rule r{i} {{\n    deny when customer.kind == "C{i % 100}"\n    because "x"\n  }}\n' for i in range(n // 2)) + "}\n"
    return {"r.cordon": text}


# Shapes whose compiled sets or tables grow as (windows of days or sets) x strings: their
# memory grows quadratically up to Limits::compiled_data_bytes (256 MiB), which refuses the
# larger run (exit 2, error E0306). Checked: the larger run is refused, the smaller is not.
CAPPED = {"table_dated_keys", "sets_dated_members"}

BASE_MIB = 6  # the peak memory of `cordon lint` on a tiny set: not part of the growth

SHAPES = {name[len("shape_"):]: fn for name, fn in globals().items() if name.startswith("shape_")}


def run(cordon, files):
    d = tempfile.mkdtemp(prefix="cordon-scaling-")
    try:
        base = {"cordon.yaml": MANIFEST, "schema.yaml": SCHEMA}
        base.update(files)
        for name, text in base.items():
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
        # wait4 gives this child's own CPU time and peak memory (getrusage of all children
        # would report the largest child so far).
        log = os.path.join(d, "out.txt")
        pid = os.fork()
        if pid == 0:
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            os.execv(cordon, [cordon, "lint", d])
        _, status, usage = os.wait4(pid, 0)
        rc = os.waitstatus_to_exitcode(status)
        with open(log, errors="replace") as f:
            out = f.read()
        cpu = usage.ru_utime + usage.ru_stime
        return cpu, usage.ru_maxrss // 1024, rc, sum(len(t) for t in files.values()), out
    finally:
        shutil.rmtree(d)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cordon", default="build/cordon")
    ap.add_argument("--n", type=int, default=20000, help="the smaller size (default 20000)")
    ap.add_argument("--only", help="comma-separated shapes")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--max-ratio", type=float, default=8.0)
    ap.add_argument("--max-seconds", type=float, default=20.0)
    ap.add_argument("--max-mib", type=int, default=2048, help="peak memory of the larger run")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    names = a.only.split(",") if a.only else list(SHAPES)
    failed = []
    print(f"{'shape':28} {'bytes(4n)':>10} {'cpu n':>8} {'cpu 4n':>8} {'ratio':>6} "
          f"{'MiB n':>7} {'MiB 4n':>7} {'ratio':>6}  exit")
    for name in names:
        times, mems, rcs = [], [], []
        for size in (a.n, 4 * a.n):
            best = None
            for _ in range(a.repeat):
                cpu, mib, rc, nbytes, out = run(a.cordon, SHAPES[name](size))
                best = cpu if best is None else min(best, cpu)
                mem = mib
                if rc not in (0, 1, 2) or best > a.max_seconds:
                    break
            times.append(best)
            mems.append(mem)
            rcs.append(rc)
        ratio = times[1] / max(times[0], 1e-3)
        mem_ratio = max(mems[1] - BASE_MIB, 1) / max(mems[0] - BASE_MIB, 1)
        bad = times[1] > a.max_seconds or mems[1] > a.max_mib or rc not in (0, 1, 2)
        if name in CAPPED:
            bad = bad or rcs[0] != 0 or rc != 2 or "E0306" not in out
        else:
            bad = bad or ratio > a.max_ratio or mem_ratio > a.max_ratio
        print(f"{name:28} {nbytes:>10} {times[0]:>8.2f} {times[1]:>8.2f} {ratio:>6.1f} "
              f"{mems[0]:>7} {mems[1]:>7} {mem_ratio:>6.1f}  {rc}{'  FAIL' if bad else ''}")
        if a.verbose:
            print("   ", out.strip().splitlines()[-1] if out.strip() else "")
        if bad:
            failed.append(name)
    if failed:
        print("scaling: not linear: " + ", ".join(failed))
        return 1
    print("scaling: every shape grows linearly")
    return 0


if __name__ == "__main__":
    sys.exit(main())
