#!/usr/bin/env bash
# `cordon bench` reads a .jsonl file larger than one request's limit (8 MiB): the file is a
# batch, each line a request. (From session 10 to 12, bench refused any file over 8 MiB as
# "a request", so bench/run could not run its 1,000,000-request file.)
# Usage: tests/cli/bench_large_file.sh BUILD/cordon
set -euo pipefail
cordon=$(realpath "$1")
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
line=$(tr -d '\n' < examples/requests/cambodia_hq_sg_region.json)
# About 9 MiB: more lines than fit in the request limit.
count=$(( (9 << 20) / (${#line} + 1) + 1 ))
for _ in $(seq "$count"); do printf "%s\n" "$line"; done > "$tmp/big.jsonl"
size=$(stat -c %s "$tmp/big.jsonl")
[ "$size" -gt $((8 << 20)) ] || { echo "FAIL: the file is only $size bytes"; exit 1; }
out=$("$cordon" bench -p policies/us "$tmp/big.jsonl" --threads 1 --repeat 1 2>&1) || {
  echo "FAIL: cordon bench on a $size-byte .jsonl file:"; echo "$out"; exit 1; }
grep -q "^requests  *$count from" <<< "$out" || { echo "FAIL: expected $count requests:"; echo "$out"; exit 1; }
echo "ok: bench read $count requests ($size bytes)"
