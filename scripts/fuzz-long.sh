#!/usr/bin/env bash
# A long run of one libFuzzer target (docs/fuzzing.md, "Long runs"): to RUNS executions
# (`10000000` or `10M`) or for SECONDS (`3600s`), one process under `nice -n 19`, so that
# other work on the machine goes first. Builds the target in build-fuzz-fast/
# (CORDON_FUZZ_FAST: coverage and UBSan, no ASan, -O3; CORDON_FUZZ_BUILD names another
# directory, and CORDON_FUZZ_ASAN=1 builds with ASan as scripts/fuzz.sh does). The corpus
# lives in <build>/long/<target>/corpus (CORDON_FUZZ_CORPUS overrides), seeded from
# fuzz/corpus/<target>/ when it is new, so a second run continues where the first stopped.
# Prints libFuzzer's final stats, the wall time and the corpus size; exits non-zero on any
# crash, sanitizer report, timeout, OOM or failed property (the reproducer is left in
# <build>/long/<target>/artifacts/, the log in <build>/long/<target>/run.log). SIGINT to
# the fuzzer process stops the run early with its stats.
# CORDON_FUZZ_JOBS=N runs N processes on the one corpus (each reloads what the others add),
# each to RUNS/N executions (or for SECONDS), logs run-1.log .. run-N.log; the executions
# printed at the end are their sum. On a machine of N idle cores, a run of N processes.
# To stop such a run early, SIGINT every fuzzer: pkill -INT -f "$build/fuzz/TARGET ".
# Usage: scripts/fuzz-long.sh TARGET RUNS|SECONDSs
# The body is one { ... } block, read whole before it runs: editing this file during a
# run (hours) cannot change what the running script does next.
{
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/fuzz-common.sh
[ $# -eq 2 ] || { echo "usage: scripts/fuzz-long.sh TARGET RUNS|SECONDSs (e.g. fuzz_rules 10M, fuzz_yaml 3600s)" >&2; exit 2; }
target="$1"
fuzz_targets | grep -qx "$target" || { echo "fuzz-long: unknown target $target (see fuzz/CMakeLists.txt)" >&2; exit 2; }
jobs="${CORDON_FUZZ_JOBS:-1}"
[[ "$jobs" =~ ^[1-9][0-9]{0,2}$ ]] || { echo "fuzz-long: CORDON_FUZZ_JOBS is not a count of 1 to 999: $jobs" >&2; exit 2; }
[[ "$2" =~ ^[0-9]{1,15}[Ms]?$ ]] || { echo "fuzz-long: not a count (10000000, 10M) or seconds (3600s): $2" >&2; exit 2; }
case "$2" in
  *s) limit=(-max_total_time="$(( 10#${2%s} ))") ;;
  *M) limit=(-runs="$(( (10#${2%M} * 1000000 + jobs - 1) / jobs ))") ;;
  *) limit=(-runs="$(( (10#$2 + jobs - 1) / jobs ))") ;;
esac

if [ "${CORDON_FUZZ_ASAN:-0}" = 1 ]; then
  build="${CORDON_FUZZ_BUILD:-build-fuzz}"
  fuzz_configure "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCORDON_FUZZ_FAST=OFF
else
  build="${CORDON_FUZZ_BUILD:-build-fuzz-fast}"
  fuzz_configure "$build" -DCMAKE_BUILD_TYPE=Release -DCORDON_FUZZ_FAST=ON
fi
nice -n 19 cmake --build "$build" -j2 --target "$target"

# fuzz_differential reads at most 8 + 8 * 32 bytes (a set seed and 32 request seeds):
# longer inputs would only cost copying.
case "$target" in fuzz_differential) max_len=264 ;; *) max_len=4096 ;; esac
dir="$build/long/$target"
corpus="${CORDON_FUZZ_CORPUS:-$dir/corpus}"
mkdir -p "$dir/artifacts"
# One run per target directory at a time: a second would truncate the first's logs.
exec 9> "$dir/.lock"
flock -n 9 || { echo "fuzz-long: a run of $target is going on in $dir (its .lock is held)" >&2; exit 2; }
if [ ! -d "$corpus" ]; then
  mkdir -p "$corpus"
  cp -r "fuzz/corpus/$target/." "$corpus/"
fi
logs=("$dir/run.log")
[ "$jobs" -gt 1 ] && logs=($(seq -f "$dir/run-%g.log" 1 "$jobs"))
# The fuzzer's CPU time (GNU time, when installed): on a shared machine, executions per
# CPU second say what one core would do alone.
rm -f "$dir/cpu" "$dir"/run*.cpu
start=$(date +%s)
pids=()
for k in "${!logs[@]}"; do
  timer=()
  [ -x /usr/bin/time ] && timer=(/usr/bin/time -o "${logs[$k]%.log}.cpu" -f "%U %S")
  nice -n 19 "${timer[@]}" "$build/fuzz/$target" "${limit[@]}" -max_len="${CORDON_FUZZ_MAX_LEN:-$max_len}" -rss_limit_mb=2048 \
    -timeout=10 -print_final_stats=1 -artifact_prefix="$dir/artifacts/" $(fuzz_options "$target") "$corpus" > "${logs[$k]}" 2>&1 &
  pids+=($!)
done
# As each process ends: one that failed stops the others (SIGINT to each fuzzer, under its
# timer), so that a finding ends the run.
declare -A rc_of=()
while [ ${#rc_of[@]} -lt ${#pids[@]} ]; do
  running=()
  for pid in "${pids[@]}"; do [ -n "${rc_of[$pid]:-}" ] || running+=("$pid"); done
  set +e
  wait -n -p ended "${running[@]}"
  rc=$?
  set -e
  rc_of[$ended]=$rc
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 72 ]; then
    for pid in "${pids[@]}"; do
      [ -n "${rc_of[$pid]:-}" ] && continue
      if [ ${#timer[@]} -eq 0 ]; then
        kill -INT "$pid" 2> /dev/null || true
      else  # the fuzzer is the timer's child (GNU time ignores SIGINT): wait for it to start
        for _ in $(seq 50); do pkill -INT -P "$pid" 2> /dev/null && break; sleep 0.1; done
      fi
    done
  fi
done
rcs=()
for pid in "${pids[@]}"; do rcs+=("${rc_of[$pid]}"); done
seconds=$(( $(date +%s) - start ))
executions=0
cpu=0
for k in "${!logs[@]}"; do
  [ "$jobs" -gt 1 ] && echo "== ${logs[$k]} (exit ${rcs[$k]})"
  grep '^stat::' "${logs[$k]}" || true
  executions=$(( executions + $(fuzz_stat "${logs[$k]}" number_of_executed_units | grep . || echo 0) ))
  cpufile="${logs[$k]%.log}.cpu"
  [ -s "$cpufile" ] && cpu=$(tail -1 "$cpufile" | awk -v c="$cpu" '{ printf "%.1f", c + $1 + $2 }')
done
echo "executions: $executions in $jobs process(es)  wall_seconds: $seconds  corpus: $(find "$corpus" -type f | wc -l) files"
[ "$cpu" != 0 ] && echo "cpu_seconds: $cpu"
failed=0
for k in "${!logs[@]}"; do
  rc="${rcs[$k]}"
  log="${logs[$k]}"
  # Interrupted (SIGINT to the fuzzer process): libFuzzer exits 72 after its stats.
  if [ "$rc" -eq 72 ] && ! fuzz_log_failed 0 "$log"; then
    echo "fuzz-long: $target ($log) stopped by an interrupt, no failure"
    continue
  fi
  if fuzz_log_failed "$rc" "$log"; then
    echo "fuzz-long: $target FAILED (exit $rc, $log)"
    grep -m1 -E 'ERROR|runtime error|FUZZ PROPERTY FAILED|Test unit written' "$log" | sed 's/^/    /' || true
    failed=1
  fi
done
[ "$failed" -eq 0 ] || exit 1
echo "fuzz-long: $target ok"
exit 0
}
