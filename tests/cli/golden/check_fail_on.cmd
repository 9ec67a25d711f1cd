check -p policies/us --fail-on deny examples/requests/shenzhen_university_china_region.json
