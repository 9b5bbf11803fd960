check --root tests/fixtures/synthetic-zones-quiet --area zones --npd
