explain -p policies/us --as-of 2026-11-20 examples/requests/shenzhen_university.json
