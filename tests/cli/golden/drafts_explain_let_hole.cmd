explain -p tests/cli/inputs/drafts --as-of 2026-01-01 --include-policy demo.draft_tpp tests/cli/inputs/drafts/request.json
