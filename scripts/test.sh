#!/usr/bin/env bash
# Installs what cordon needs, then builds and runs every test twice: in Release (with the
# docs and embedding checks), and with AddressSanitizer + UndefinedBehaviorSanitizer, then
# runs each libFuzzer target briefly (CORDON_FUZZ_SECONDS, default 10). Exits non-zero on
# any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)
start=$(date +%s)

echo "== Release build and tests"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== docs: every command shown prints what it shows; links, machine paths and copies"
python3 scripts/refresh-doc-output.py --check --cordon build/cordon
python3 scripts/refresh-doc-output.py --links

echo "== embedding: install, find_package(cordon), g++ and clang++, reload under ThreadSanitizer"
bash scripts/embed-check.sh build

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build and tests"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCORDON_SANITIZE=ON -DCORDON_BENCH=OFF > /dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"

echo "== libFuzzer targets, ${CORDON_FUZZ_SECONDS:-10} s each (scripts/fuzz.sh; replays fuzz/corpus)"
bash scripts/fuzz.sh "${CORDON_FUZZ_SECONDS:-10}"

echo "== all tests passed in Release, under sanitizers and under libFuzzer ($(( $(date +%s) - start )) s)"
