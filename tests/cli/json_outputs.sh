#!/usr/bin/env bash
# Every JSON writer of the command line, fed odd bytes (control characters, quotes and
# backslashes, U+2028, U+200B, bytes that are not UTF-8), must print valid JSON: each
# output is read as strict UTF-8 and parsed by python3's json module (issue 18, item 18).
#   tests/cli/json_outputs.sh BUILD/cordon
set -u
cordon=$(realpath "$1")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cordon-json.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0

# A policy set whose own strings hold odd (but UTF-8) characters: YAML escapes in the
# manifest name, a tab, U+2028 and U+200B in messages and cites.
mkdir -p "$tmp/set"
printf 'name: "odd \\"set\\" \\\\ \\x01 \\u2028 \\u200b"\nschema: schema.yaml\ndefault: allow\non_error: deny\n' \
  > "$tmp/set/cordon.yaml"
printf 'customer:\n  name: string\n  kind: "enum[company, university]"\n  foreign: bool\n' > "$tmp/set/schema.yaml"
printf 'policy p {\n  title "t\\"q\\\\"\n  status in_force\n  effective 2024-01-01\n  sunset 2030-01-01\n  rule r {\n    deny when customer.foreign\n    because "tab\there \xe2\x80\xa8 zw\xe2\x80\x8b {customer.name}"\n    cite "c \\"q\\" \xe2\x80\xa8"\n  }\n}\n' \
  > "$tmp/set/rules.cordon"
printf 'policy_set: .\nas_of: 2026-01-01\ncases:\n- name: "case \\x01 \\x1b[31m \\u2028 \\" \\\\"\n  request: {customer: {name: "n\\x7f", kind: company, foreign: true}}\n  expect: {decision: allow}\n' \
  > "$tmp/set/odd.test.yaml"
# Requests: an id and a name with escapes of control characters, ESC, DEL and U+2028; a
# request that is not UTF-8 (an input error quoting it); a batch mixing both.
good='{"id": "x\nDENY \u001b[31m \u2028 \"q\" \\", "customer": {"name": "\u0000\u007f\u2028", "kind": "company", "foreign": true}}'
printf '%s\n' "$good" > "$tmp/good.json"
printf '{"id": "a\xff\x01", "customer": {"name": "\xc0\xaf"}}\n' > "$tmp/bad.json"
{ printf '%s\n' "$good"; printf '{"id": "\xfe", "x": 1}\n{"customer": {"\xe2\x80": 1}}\n'; printf '\xef\xbb\xbf{}\n'; } > "$tmp/batch.jsonl"
# A broken set whose diagnostic quotes odd text: an enum value with \x01, U+200B and a tab.
mkdir -p "$tmp/broken"
cp "$tmp/set/cordon.yaml" "$tmp/set/schema.yaml" "$tmp/broken/"
printf 'policy p {\n  status in_force\n  rule r { deny when customer.kind == "x\x01\xe2\x80\x8b\t" because "m" cite "c" }\n}\n' \
  > "$tmp/broken/rules.cordon"

valid_json() {  # valid_json NAME LINES|WHOLE < output
  python3 -c '
import json, sys
name, mode = sys.argv[1], sys.argv[2]
data = sys.stdin.buffer.read()
try:
    text = data.decode("utf-8")  # strict: bytes that are not UTF-8 fail here
    docs = [l for l in text.split("\n") if l.strip()] if mode == "lines" else [text]
    if not docs: raise ValueError("no output")
    for d in docs:
        json.dumps(json.loads(d), ensure_ascii=False).encode("utf-8")  # lone surrogates fail here
except Exception as e:
    print(f"FAIL {name}: {e}: {data[:300]!r}")
    sys.exit(1)
' "$1" "$2"
}

run() {  # run NAME MODE ARGS...: cordon ARGS, stdout checked
  local name=$1 mode=$2
  shift 2
  if ! "$cordon" "$@" 2>/dev/null | valid_json "$name" "$mode"; then fail=$((fail + 1)); fi
}

cd "$tmp" || exit 2
run check_decision whole check -p set --as-of 2026-01-01 --format json good.json
run check_batch lines check -p set --as-of 2026-01-01 --format json batch.jsonl
run check_stdin whole check -p set --as-of 2026-01-01 --format json - < good.json
run explain whole explain -p set --as-of 2026-01-01 --format json good.json
run timeline whole timeline -p set --format json good.json
run test whole test set --format json
run lint whole lint broken --format json
run lint_ok whole lint set --format json
"$cordon" bench -p set --repeat 1 --threads 1 --json bench.json batch.jsonl >/dev/null 2>&1
if ! valid_json bench whole < bench.json; then fail=$((fail + 1)); fi
echo "json outputs: $fail failed"
[ "$fail" -eq 0 ]
