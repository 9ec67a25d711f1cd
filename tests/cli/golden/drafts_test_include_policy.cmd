test tests/cli/inputs/drafts --coverage
