test tests/cli/inputs/failing_tests --format json
