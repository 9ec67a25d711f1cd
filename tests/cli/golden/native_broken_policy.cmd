native -p tests/cli/inputs/broken_policy -o "$tmp/broken.so"
