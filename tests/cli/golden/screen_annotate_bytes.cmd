screen --list policies/us/data/screening_sample.csv --annotate tests/cli/inputs/screen_owned.json
