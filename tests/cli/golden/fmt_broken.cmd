fmt --check tests/cli/inputs/fmt/broken.cordon
