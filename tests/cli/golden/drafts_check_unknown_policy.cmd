check -p tests/cli/inputs/drafts --include-policy demo.draft_tp tests/cli/inputs/drafts/request.json
