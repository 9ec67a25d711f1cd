screen --list tests/cli/inputs/screen_list_invalid_utf8.csv examples/requests/sichuan_university_entity_list.json
