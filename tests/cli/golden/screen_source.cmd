screen --list policies/us/data/screening_sample.csv --source "entity list" tests/cli/inputs/screen_variants.jsonl
