test docs/examples/dated-rows --verbose
