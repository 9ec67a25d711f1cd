test tests/cli/inputs/bad_test_files/misspelled_keys.test.yaml
