explain -p policies/us --as-of 2026-11-20 --all --include proposed,bill examples/requests/shenzhen_university.json
