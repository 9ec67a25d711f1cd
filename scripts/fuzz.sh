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
cxx="${CORDON_FUZZ_CXX:-clang++}"
command -v "$cxx" > /dev/null || { echo "fuzz: $cxx not found (scripts/setup.sh installs clang)" >&2; exit 1; }
launcher=()
command -v ccache > /dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

# The targets, in the order fuzz/CMakeLists.txt lists them in CORDON_FUZZ_TARGETS (a new
# target, such as the structure-aware differential one, is picked up from there).
mapfile -t all < <(sed -n '/^set(CORDON_FUZZ_TARGETS/,/^)/p' fuzz/CMakeLists.txt | sed -n 's/^ *\(fuzz_[a-z0-9_]*\).*/\1/p')
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all[@]}"); fi
[ ${#targets[@]} -gt 0 ] || { echo "fuzz: no targets found in fuzz/CMakeLists.txt" >&2; exit 1; }

echo "== fuzz: building ${targets[*]} in $build"
# A tree already configured for fuzzing (scripts/test.sh's sanitizer build, which also has
# the tests) is built as it is; else a fresh one without the tests.
if ! grep -qs '^CORDON_FUZZ:BOOL=ON' "$build/CMakeCache.txt"; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" "${launcher[@]}" \
    -DCORDON_FUZZ=ON -DCORDON_TESTS=OFF -DCORDON_BENCH=OFF > /dev/null
fi
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}"

# The dictionary a target uses: fuzz/<name without fuzz_>.dict, else the shared one below.
dict_for() {
  local d="fuzz/${1#fuzz_}.dict"
  case "$1" in fuzz_request_yaml) d=fuzz/yaml.dict ;; esac
  [ -f "$d" ] && echo "-dict=$d"
  return 0
}

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
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
    -artifact_prefix="$artifacts/" $(dict_for "$t") "$corpus" > "$log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  found=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'slow-unit-*' \) -newer "$scratch/$t.start" | wc -l)
  grown=$(( $(find "$corpus" -type f | wc -l) - seeds ))
  if [ "$rc" -ne 0 ] || grep -q -e '^==[0-9]*==ERROR' -e 'runtime error:' -e 'FUZZ PROPERTY FAILED' "$log"; then
    failed=1
    printf '%-20s FAILED  executions %s  exec/s %s  new inputs %s  crashes %s (exit %s; log %s)\n' \
      "$t" "${execs:-?}" "${rate:-?}" "$grown" "$found" "$rc" "$log"
    grep -m1 -E 'ERROR|runtime error|FUZZ PROPERTY FAILED|Test unit written' "$log" | sed 's/^/    /' || true
  else
    printf '%-20s ok      executions %s  exec/s %s  new inputs %s  crashes 0\n' "$t" "$execs" "$rate" "$grown"
  fi
done
exit "$failed"
