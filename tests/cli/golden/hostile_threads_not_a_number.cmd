check -p policies/us --as-of 2026-11-20 --threads abc tests/cli/inputs/batch.jsonl
