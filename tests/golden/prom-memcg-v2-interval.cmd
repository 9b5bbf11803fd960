check --root tests/fixtures/synthetic-memcg-v2-host --area memcg --format=prometheus --interval 0.05
