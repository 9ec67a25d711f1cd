timeline -p docs/examples/dated-rows --format json docs/examples/dated-rows/request.json
