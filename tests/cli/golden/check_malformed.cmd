check -p policies/us tests/cli/inputs/malformed.json
