fmt --check policies/us/cordon.yaml tests/cli/inputs/fmt/unformatted.cordon
