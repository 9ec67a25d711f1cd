native -p policies/us
