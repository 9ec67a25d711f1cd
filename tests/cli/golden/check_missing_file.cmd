check -p policies/us no/such/file.json
