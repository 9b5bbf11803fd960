check --root tests/fixtures/synthetic-memcg-quiet --area memcg --json
