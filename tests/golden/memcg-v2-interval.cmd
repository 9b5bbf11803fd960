check --root tests/fixtures/synthetic-memcg-v2-host --area memcg --json --interval 0.05
