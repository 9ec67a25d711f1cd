fmt --check tests/cli/inputs/fmt/unformatted.cordon policies/us/iaas_cip.cordon
