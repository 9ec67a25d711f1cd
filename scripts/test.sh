#!/usr/bin/env bash
# Installs what cordon needs, then builds and runs every test twice: in Release with g++
# (with the docs and embedding checks), and with clang under AddressSanitizer +
# UndefinedBehaviorSanitizer in one build (build-asan/) that also holds the libFuzzer
# targets, which then run briefly (CORDON_FUZZ_SECONDS, default 10). Prints each stage's
# wall and CPU seconds at the end. Exits non-zero on any failure. See docs/testing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)
start=$(date +%s)
source scripts/stage-times.sh

stage "Release build (g++; tests, examples, benchmarks)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j"$jobs"

stage "Release tests"
ctest --test-dir build --output-on-failure -j"$jobs"

stage "docs: every command shown prints what it shows; links, machine paths and copies"
python3 scripts/refresh-doc-output.py --check --cordon build/cordon
python3 scripts/refresh-doc-output.py --links

stage "hostile inputs grow linearly: 23 shapes of rule, schema and data files at n and 4n"
python3 scripts/scaling.py --cordon build/cordon

stage "embedding: install, find_package(cordon), g++ and clang++, reload under ThreadSanitizer"
bash scripts/embed-check.sh build

# One clang build serves the sanitizer tests and the fuzz targets: every library and test
# with ASan + UBSan (UBSan halts on the first error), the libraries also with libFuzzer's
# coverage instrumentation, the fuzz targets linked with the libFuzzer driver.
stage "AddressSanitizer + UndefinedBehaviorSanitizer build (clang; tests and libFuzzer targets)"
# Line tables only (file:line in every stack trace) instead of full debug info: about a
# tenth less compile time with clang (docs/testing.md, "CI"). No NDEBUG: the engine's own
# assertions (a node asked for an operand its kind lacks, a kid past its count) hold here.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -gline-tables-only" \
      -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -gline-tables-only" \
      -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang -DCORDON_SANITIZE=ON -DCORDON_FUZZ=ON -DCORDON_BENCH=OFF > /dev/null
cmake --build build-asan -j"$jobs"

stage "AddressSanitizer + UndefinedBehaviorSanitizer tests"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"

stage "libFuzzer targets, ${CORDON_FUZZ_SECONDS:-10} s each (scripts/fuzz.sh in build-asan; replays fuzz/corpus)"
CORDON_FUZZ_BUILD=build-asan bash scripts/fuzz.sh "${CORDON_FUZZ_SECONDS:-10}"

stage_end
stage_table
echo "== all tests passed in Release, under sanitizers and under libFuzzer ($(( $(date +%s) - start )) s)"
