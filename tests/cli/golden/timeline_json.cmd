timeline -p policies/us --include proposed,bill,rescinded --format json examples/requests/shenzhen_university_china_region.json
