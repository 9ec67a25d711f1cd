timeline -p policies/us examples/requests/cambodia_hq_sg_region.json
