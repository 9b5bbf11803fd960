check --root tests/fixtures/synthetic-memcg-v2-host --npd
