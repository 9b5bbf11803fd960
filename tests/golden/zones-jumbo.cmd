check --root tests/fixtures/synthetic-zones-jumbo --area zones --json
