check -p policies/us --format json tests/cli/inputs/duplicate_time.json
