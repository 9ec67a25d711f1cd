check -p policies/us --as-of 2026-13-01 examples/requests/shenzhen_university.json
