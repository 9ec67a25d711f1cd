#!/usr/bin/env bash
# Installs the Debian packages cordon builds with. Idempotent: installs only what is missing.
set -euo pipefail
packages=(build-essential cmake pkg-config libboost-dev libyaml-cpp-dev libfmt-dev libcli11-dev
          doctest-dev libz3-dev libsimdjson-dev nlohmann-json3-dev libbenchmark-dev
          libcpp-httplib-dev libutf8proc-dev python3  # python3: scripts/refresh-doc-output.py
          clang libclang-rt-14-dev)   # libFuzzer: scripts/fuzz.sh
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
