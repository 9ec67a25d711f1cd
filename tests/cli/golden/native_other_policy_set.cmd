native -p bench/peers -o "$tmp/peers.so" && "$cordon" check -p policies/us --native "$tmp/peers.so" examples/requests/shenzhen_university_china_region.json
