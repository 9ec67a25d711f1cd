check -p tests/cli/inputs/drafts --as-of 2026-01-01 tests/cli/inputs/drafts/request.json
