check -p policies/us --no-pass index,indx examples/requests/shenzhen_university.json
