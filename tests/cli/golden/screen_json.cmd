screen --list policies/us/data/screening_sample.csv --format json --exact-only tests/cli/inputs/screen_variants.jsonl
