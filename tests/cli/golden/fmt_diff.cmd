fmt --diff tests/cli/inputs/fmt/unformatted.cordon
