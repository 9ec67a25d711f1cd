screen --list policies/us/data/screening_sample.csv --exact-only tests/cli/inputs/screen_invisible.jsonl
