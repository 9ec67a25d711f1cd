bench -p policies/us --native no/such/file.so tests/cli/inputs/batch.jsonl
