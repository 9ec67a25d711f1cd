screen --list /dev/zero examples/requests/sichuan_university_entity_list.json
