native -p policies/us -o "$tmp/us.so" --cxx false
