timeline -p policies/us --include proposed,bill,rescinded examples/requests/shenzhen_university_china_region.json
