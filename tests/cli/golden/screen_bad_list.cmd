screen --list tests/cli/inputs/screen_bad_list.csv examples/requests/sichuan_university_entity_list.json
