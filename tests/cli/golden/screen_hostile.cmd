screen --list policies/us/data/screening_sample.csv tests/cli/inputs/screen_hostile.jsonl tests/cli/inputs/screen_invalid_utf8.json
