check -p policies/us - < tests/cli/inputs/request.yaml
