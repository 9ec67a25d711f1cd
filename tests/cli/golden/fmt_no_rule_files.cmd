fmt --check tests/cli/inputs/bad_test_files
