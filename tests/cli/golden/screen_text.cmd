screen --list policies/us/data/screening_sample.csv examples/requests/sichuan_university_entity_list.json tests/cli/inputs/screen_variants.jsonl
