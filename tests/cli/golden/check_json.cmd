check -p policies/us --format json examples/requests/shenzhen_university_china_region.json
