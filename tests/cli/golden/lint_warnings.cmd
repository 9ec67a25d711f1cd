lint tests/cli/inputs/warnings_policy
