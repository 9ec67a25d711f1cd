test policies/us
