check -p policies/us --include proposed,bill --format json examples/requests/zhejiang_lab_geogpt_training.json
