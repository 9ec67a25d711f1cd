check -p policies/us --native README.md examples/requests/shenzhen_university_china_region.json
