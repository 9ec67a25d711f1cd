#!/usr/bin/env bash
# Builds every libFuzzer target (clang, ASan + UBSan, in build-fuzz/) and runs each for
# SECONDS (default 20) from a scratch copy of its seed corpus in fuzz/corpus/<target>/.
# Prints one line per target (executions, exec/s, new corpus entries, failures) and exits
# non-zero on any crash, leak, sanitizer report, timeout or OOM; the reproducer is left in
# build-fuzz/artifacts/<target>/ (see docs/fuzzing.md). Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
shift || true
build="${CORDON_FUZZ_BUILD:-build-fuzz}"  # the build directory (CORDON_FUZZ_BUILD overrides)
source scripts/fuzz-common.sh

# The targets, in the order fuzz/CMakeLists.txt lists them in CORDON_FUZZ_TARGETS (a new
# target, such as the structure-aware differential one, is picked up from there).
mapfile -t all < <(fuzz_targets)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all[@]}"); fi
[ ${#targets[@]} -gt 0 ] || { echo "fuzz: no targets found in fuzz/CMakeLists.txt" >&2; exit 1; }

echo "== fuzz: building ${targets[*]} in $build"
# A tree already configured for fuzzing with ASan (scripts/test.sh's sanitizer build, which
# also has the tests) is built as it is; else a fresh one without the tests.
if ! grep -qs '^CORDON_FUZZ:BOOL=ON' "$build/CMakeCache.txt" || grep -qs '^CORDON_FUZZ_FAST:BOOL=ON' "$build/CMakeCache.txt"; then
  fuzz_configure "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCORDON_FUZZ_FAST=OFF
fi
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=0
for t in "${targets[@]}"; do
  corpus="$scratch/$t"
  artifacts="$build/artifacts/$t"
  mkdir -p "$corpus" "$artifacts"
  [ -d "fuzz/corpus/$t" ] && cp -r "fuzz/corpus/$t/." "$corpus/"
  seeds=$(find "$corpus" -type f | wc -l)
  log="$build/artifacts/$t.log"
  touch "$scratch/$t.start"
  set +e
  nice "$build/fuzz/$t" -max_total_time="$seconds" -max_len="${CORDON_FUZZ_MAX_LEN:-4096}" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" $(fuzz_options "$t") "$corpus" > "$log" 2>&1
  rc=$?
  set -e
  execs=$(fuzz_stat "$log" number_of_executed_units)
  rate=$(fuzz_stat "$log" average_exec_per_sec)
  found=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'slow-unit-*' \) -newer "$scratch/$t.start" | wc -l)
  grown=$(( $(find "$corpus" -type f | wc -l) - seeds ))
  if fuzz_log_failed "$rc" "$log"; then
    failed=1
    printf '%-20s FAILED  executions %s  exec/s %s  new inputs %s  crashes %s (exit %s; log %s)\n' \
      "$t" "${execs:-?}" "${rate:-?}" "$grown" "$found" "$rc" "$log"
    grep -m1 -E 'ERROR|runtime error|FUZZ PROPERTY FAILED|Test unit written' "$log" | sed 's/^/    /' || true
  else
    printf '%-20s ok      executions %s  exec/s %s  new inputs %s  crashes 0\n' "$t" "$execs" "$rate" "$grown"
  fi
done
exit "$failed"
