check -p tests/cli/inputs/broken_policy tests/cli/inputs/request.yaml
