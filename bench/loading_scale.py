#!/usr/bin/env python3
"""Loading cost of large inputs (issue 18, items 8 and 13): times `cordon lint` on policy
sets with a large data set, a large table, a large enum, doubling lets, and `cordon check`
on a request of many distinct owner names; each size and twice it, so linear growth shows as
a ratio near 2 (quadratic: near 4). Usage: bench/loading_scale.py build/cordon [scale]."""
import json, os, subprocess, sys, tempfile, time

CORDON = sys.argv[1] if len(sys.argv) > 1 else "build/cordon"
SCALE = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0

SCHEMA = """customer:
  name: string
  country: country
  hq_country: country
  kind: {kind}
  owners:
    - {{ name: string, country: country, share: number }}
"""


def policy_set(d, rules, kind="string", files=None):
    with open(os.path.join(d, "cordon.yaml"), "w") as f:
        f.write("name: bench\nschema: schema.yaml\ndefault: allow\non_error: deny\n")
    with open(os.path.join(d, "schema.yaml"), "w") as f:
        f.write(SCHEMA.format(kind=kind))
    with open(os.path.join(d, "rules.cordon"), "w") as f:
        f.write("policy p {\n  status in_force\n" + rules + "}\n")
    for name, text in (files or {}).items():
        os.makedirs(os.path.dirname(os.path.join(d, name)), exist_ok=True)
        with open(os.path.join(d, name), "w") as f:
            f.write(text)


def timed(args, stdin=None):
    t = time.monotonic()
    r = subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=600)
    elapsed = time.monotonic() - t
    if r.returncode not in (0, 1):
        sys.exit(f"{' '.join(args)} failed ({r.returncode}): {r.stderr[:400]}")
    return elapsed


def set_case(d, n):
    members = "\n".join(f"  - M{i}" for i in range(n))
    policy_set(d, '  use sets from "data/big.yaml"\n  rule r { deny when customer.name in big because "x" cite "c" }\n',
               files={"data/big.yaml": f"big:\n{members}\n"})
    return timed([CORDON, "lint", d])


def table_case(d, n):
    rows = "\n".join(f"R{i}: {{v: {i}}}" for i in range(n))
    policy_set(d, '  use table t from "data/t.yaml"\n  rule r { deny when customer.name in t and t[customer.name].v > 5 because "x" cite "c" }\n',
               files={"data/t.yaml": rows + "\n"})
    return timed([CORDON, "lint", d])


def enum_case(d, n):
    policy_set(d, '  rule r { deny when customer.kind == "V1" because "x" cite "c" }\n',
               kind="enum[" + ", ".join(f"V{i}" for i in range(n)) + "]")
    return timed([CORDON, "lint", d])


def lets_case(d, n):
    lets = "  let a0 = customer.hq_country == \"CN\"\n" + "".join(f"  let a{i} = a{i-1} and a{i-1}\n" for i in range(1, n + 1))
    policy_set(d, lets + f'  rule r {{ deny when a{n} because "x" cite "c" }}\n')
    return timed([CORDON, "lint", d])


def owners_case(d, n):
    policy_set(d, '  rule r { deny when any o in customer.owners: o.name == "X" because "x" cite "c" }\n')
    owners = [{"name": f"owner {i}", "country": "DE", "share": 0.0} for i in range(n)]
    req = json.dumps({"customer": {"name": "A", "country": "DE", "hq_country": "DE", "kind": "k", "owners": owners}})
    return timed([CORDON, "check", "-p", d, "--as-of", "2025-01-01", "-"], stdin=req)


CASES = [("data set members", set_case, 100_000), ("table rows", table_case, 50_000),
         ("enum values", enum_case, 50_000), ("doubling lets", lets_case, 30),
         ("distinct owner names in one request", owners_case, 5_000)]

print(f"| input | n | seconds | 2n | seconds | ratio |\n| --- | --- | --- | --- | --- | --- |")
for name, case, n in CASES:
    n = max(1, int(n * SCALE)) if case is not lets_case else n
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        t1 = case(a, n)
        t2 = case(b, 2 * n)
    print(f"| {name} | {n:,} | {t1:.2f} | {2 * n:,} | {t2:.2f} | {t2 / max(t1, 1e-3):.1f} |")
