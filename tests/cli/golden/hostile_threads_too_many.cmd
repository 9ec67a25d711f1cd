check -p policies/us --as-of 2026-11-20 --threads 100000000 tests/cli/inputs/batch.jsonl
