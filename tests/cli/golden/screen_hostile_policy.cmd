screen -p policies/us --list policies/us/data/screening_sample.csv tests/cli/inputs/screen_hostile.jsonl
