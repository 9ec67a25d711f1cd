lint policies/us
