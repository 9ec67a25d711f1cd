lint --format json tests/cli/inputs/broken_policy
