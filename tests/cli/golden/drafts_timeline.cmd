timeline -p tests/cli/inputs/drafts tests/cli/inputs/drafts/request.json
