screen --list policies/us/data/screening_sample.csv tests/cli/inputs/malformed.json examples/requests/german_university_control.json
