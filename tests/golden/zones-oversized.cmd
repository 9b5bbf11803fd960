check --root tests/fixtures/synthetic-zones-oversized --area zones --json
