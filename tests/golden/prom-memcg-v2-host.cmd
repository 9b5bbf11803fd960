check --root tests/fixtures/synthetic-memcg-v2-host --area memcg --format=prometheus
