lint tests/cli/inputs/broken_policy
