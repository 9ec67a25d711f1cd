lint --strict tests/cli/inputs/warnings_policy
