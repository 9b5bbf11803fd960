check --root tests/fixtures/synthetic-net-drops --area net --format=prometheus
