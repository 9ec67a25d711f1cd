check -p policies/us --as-of 2026-11-20 --format json tests/cli/inputs/batch.jsonl
