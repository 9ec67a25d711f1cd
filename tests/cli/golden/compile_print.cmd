compile -p examples/embed_policy --print; "$cordon" compile -p examples/embed_policy --no-pass all
