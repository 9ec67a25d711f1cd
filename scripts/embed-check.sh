#!/usr/bin/env bash
# The library as an embedder meets it (docs/embedding.md):
#  1. `cmake --install` of the Release build (BUILD, default build/) into a scratch prefix;
#     the package, the pkg-config file and the versioned soname are there;
#  2. examples/embed_reload, a project outside the build tree, finds cordon with
#     find_package(cordon), builds with g++ and with clang++, and reloads policy versions
#     200 times while two threads decide (C++ and C ABI);
#  3. the same under ThreadSanitizer: a TSan build of only the libraries (build-tsan/, -g1),
#     installed, the example built with -fsanitize=thread and run; any report fails.
# Usage: scripts/embed-check.sh [BUILD]   (BUILD must hold a configured, built tree)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
jobs=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Version 2 of the example policy: China leaves the D:5 list, so the request the example
# decides is denied by version 1 and allowed by version 2.
cp -r examples/embed_policy "$work/v1"
cp -r examples/embed_policy "$work/v2"
sed -i 's/"CF", "CN", /"CF", /' "$work/v2/remote_access.cordon"
grep -q '"CF", "CN"' "$work/v2/remote_access.cordon" && { echo "embed-check: v2 not made"; exit 1; }

libs="--target cordon_dsl --target cordon_engine --target cordon_c"
echo "== install ($build)"
cmake --build "$build" -j"$jobs" $libs
cmake --install "$build" --prefix "$work/prefix" > /dev/null
for f in lib/cmake/cordon/cordonConfig.cmake lib/pkgconfig/cordon.pc include/cordon.h \
         include/cordon/engine/live.hpp include/cordon/engine/version.hpp; do
  [ -e "$work/prefix/$f" ] || { echo "embed-check: $f not installed"; exit 1; }
done
# The compiled program's definition is private to the engine (engine/README.md).
[ ! -e "$work/prefix/include/cordon/engine/program.hpp" ] || { echo "embed-check: program.hpp is installed"; exit 1; }
soname=$(objdump -p "$work/prefix/lib/libcordon.so" | awk '/SONAME/ {print $2}')
[[ "$soname" =~ ^libcordon\.so\.[0-9]+$ ]] || { echo "embed-check: soname is '$soname'"; exit 1; }
echo "soname $soname; pkg-config: $(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --modversion cordon)"

run_example() {  # NAME CXX [CMAKE ARGS...]
  local name=$1 cxx=$2 prefix=$3; shift 3
  echo "== examples/embed_reload with $name"
  cmake -S examples/embed_reload -B "$work/$name" -DCMAKE_CXX_COMPILER="$cxx" \
        -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release "$@" > /dev/null
  cmake --build "$work/$name" -j"$jobs" > /dev/null
  LD_LIBRARY_PATH="$prefix/lib" "$work/$name/embed_reload" "$work/v1" "$work/v2" 200
}
run_example g++ g++ "$work/prefix"
run_example clang++ clang++ "$work/prefix"

echo "== ThreadSanitizer (build-tsan: libraries only)"
# -g1 (line tables, no variables): a TSan report's stacks still name file:line, and the
# build takes a third less CPU than with -g.
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
      -DCORDON_TESTS=OFF -DCORDON_BENCH=OFF \
      -DCMAKE_CXX_FLAGS="-fsanitize=thread" -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=thread" \
      ${CMAKE_CXX_COMPILER_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER=$CMAKE_CXX_COMPILER_LAUNCHER} > /dev/null
cmake --build build-tsan -j"$jobs" $libs
cmake --install build-tsan --prefix "$work/tsan" > /dev/null
TSAN_OPTIONS="halt_on_error=1 exitcode=66" \
  run_example tsan g++ "$work/tsan" -DCMAKE_CXX_FLAGS="-fsanitize=thread -g" \
              -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread"
echo "== embed-check: ok"
