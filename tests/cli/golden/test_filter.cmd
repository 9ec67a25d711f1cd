test policies/us --filter loophole --verbose
