test policies/us --coverage
