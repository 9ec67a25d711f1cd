test tests/cli/inputs/bad_test_files/bad_decision.test.yaml
