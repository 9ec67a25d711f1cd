#!/usr/bin/env bash
# Installs what cordon needs, builds it (Release), and decides the shipped example
# requests against the shipped US policy set: in force today, then with the proposals.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCORDON_BENCH=OFF > /dev/null
cmake --build build -j"$(nproc)" --target cordon
echo
echo "== cordon check -p policies/us examples/requests/shenzhen_university.json"
./build/cordon check -p policies/us examples/requests/shenzhen_university.json
echo
echo "== the same request with the proposed rule and the bill switched on (--include proposed,bill)"
./build/cordon check -p policies/us --include proposed,bill examples/requests/shenzhen_university.json
