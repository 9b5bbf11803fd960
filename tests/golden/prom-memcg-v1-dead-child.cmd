check --root tests/fixtures/synthetic-memcg-v1-dead-child --area memcg --format=prometheus
