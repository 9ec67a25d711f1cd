#!/usr/bin/env bash
# Golden tests for the command line: each golden/NAME.cmd holds the arguments of one
# `cordon` run (from the repository root); golden/NAME.out holds its expected stdout,
# stderr and exit status. Digests (and native code's fingerprints) are masked so policy
# edits do not churn every file. A command may write files under "$tmp", a fresh empty
# directory for each command, printed as <tmp>; "$cordon" runs cordon again.
#   tests/cli/golden.sh BUILD/cordon            check every golden file
#   tests/cli/golden.sh BUILD/cordon --update   rewrite them (review the diff!)
set -u
cordon=$(realpath "$1")
update=${2:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
pass=0
fail=0
for cmd in tests/cli/golden/*.cmd; do
  name=$(basename "$cmd" .cmd)
  expected="tests/cli/golden/$name.out"
  args=$(cat "$cmd")
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/cordon-golden.XXXXXX")
  actual=$(eval "NO_COLOR=1 \"$cordon\" $args" 2>&1; echo "[exit $?]")
  rm -rf "$tmp"
  actual=${actual//"$tmp"/<tmp>}
  actual=$(printf '%s\n' "$actual" | sed -E -e 's/sha256:[0-9a-f]{12,64}/sha256:<digest>/g' \
    -e 's/(fingerprint|this one) [0-9a-f]{16}/\1 <fingerprint>/g')
  if [ "$update" = "--update" ]; then
    printf '%s\n' "$actual" > "$expected"
    echo "updated $expected"
    continue
  fi
  if [ -f "$expected" ] && diff -u "$expected" <(printf '%s\n' "$actual") > /tmp/cordon-golden-diff.$$; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $name: cordon $args"
    cat /tmp/cordon-golden-diff.$$ 2>/dev/null || echo "  (no $expected)"
  fi
done
rm -f /tmp/cordon-golden-diff.$$
[ "$update" = "--update" ] && exit 0
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
