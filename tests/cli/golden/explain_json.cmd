explain -p policies/us --as-of 2026-11-20 --format json examples/requests/shenzhen_university.json
