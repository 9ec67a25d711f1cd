check -p policies/us --include enforced examples/requests/shenzhen_university.json
