check --root tests/fixtures/synthetic-zones-fragmented --area zones --format=prometheus
