check -p policies/us tests/cli/inputs/unknown_field.json
