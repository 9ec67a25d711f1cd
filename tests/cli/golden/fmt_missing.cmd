fmt --check no/such/dir
