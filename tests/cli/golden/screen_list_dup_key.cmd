screen --list tests/cli/inputs/screen_list_dup_key.json examples/requests/sichuan_university_entity_list.json
