check --root tests/fixtures/synthetic-zones-pressure --area zones --json --interval 0.05
