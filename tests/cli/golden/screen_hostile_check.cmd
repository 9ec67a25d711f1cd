check -p policies/us tests/cli/inputs/screen_hostile.jsonl
