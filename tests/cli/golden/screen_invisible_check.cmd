screen --list policies/us/data/screening_sample.csv --annotate tests/cli/inputs/screen_invisible.jsonl 2>/dev/null > "$tmp/annotated.jsonl"; "$cordon" check -p policies/us "$tmp/annotated.jsonl"
