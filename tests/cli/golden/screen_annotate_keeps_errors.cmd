screen --list policies/us/data/screening_sample.csv --annotate tests/cli/inputs/screen_unknown_field.json 2>/dev/null | "$cordon" check -p policies/us -
