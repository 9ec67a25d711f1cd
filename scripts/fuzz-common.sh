# Shared by scripts/fuzz.sh and scripts/fuzz-long.sh (sourced, not run): configuring a fuzz
# build, each target's dictionary and libFuzzer options, and reading a run's log.

# fuzz_configure BUILD [CMAKE_ARGS...]: configures BUILD with clang and the fuzz targets.
fuzz_configure() {
  local build="$1"
  shift
  local cxx="${CORDON_FUZZ_CXX:-clang++}"
  command -v "$cxx" > /dev/null || { echo "fuzz: $cxx not found (scripts/setup.sh installs clang)" >&2; exit 1; }
  local launcher=()
  command -v ccache > /dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S . -B "$build" -DCMAKE_CXX_COMPILER="$cxx" "${launcher[@]}" \
    -DCORDON_FUZZ=ON -DCORDON_TESTS=OFF -DCORDON_BENCH=OFF "$@" > /dev/null
}

# The targets, in the order fuzz/CMakeLists.txt lists them in CORDON_FUZZ_TARGETS.
fuzz_targets() {
  sed -n '/^set(CORDON_FUZZ_TARGETS/,/^)/p' fuzz/CMakeLists.txt | sed -n 's/^ *\(fuzz_[a-z0-9_]*\).*/\1/p'
}

# fuzz_options TARGET: the libFuzzer options of TARGET. Its dictionary:
# fuzz/<name without fuzz_>.dict, else the shared one below. fuzz_rules and
# fuzz_differential reach tens of thousands of coverage features, and libFuzzer's entropic
# schedule spent 70% of fuzz_differential's time in InputCorpus::UpdateFeatureFrequency
# (perf): they run with -entropic=0 (fuzz_rules: 2.7x the executions per CPU second,
# fuzz_differential about 3x); for the other targets it made no gain.
fuzz_options() {
  local d="fuzz/${1#fuzz_}.dict"
  case "$1" in fuzz_request_yaml) d=fuzz/yaml.dict ;; esac
  [ -f "$d" ] && echo "-dict=$d"
  case "$1" in fuzz_rules | fuzz_differential) echo "-entropic=0" ;; esac
  return 0
}

# fuzz_stat LOG NAME: the last value of libFuzzer's final stat::NAME in LOG.
fuzz_stat() { sed -n "s/^stat::$2: *//p" "$1" | tail -1; }

# fuzz_log_failed RC LOG: true when the run failed (exit status, sanitizer report or a
# failed property of the target).
fuzz_log_failed() {
  [ "$1" -ne 0 ] || grep -q -e '^==[0-9]*==ERROR' -e 'runtime error:' -e 'FUZZ PROPERTY FAILED' "$2"
}

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
