fmt --check policies/us
