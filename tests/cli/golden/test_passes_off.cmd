test policies/us --no-pass all
