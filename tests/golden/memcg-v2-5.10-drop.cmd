check --root tests/fixtures/synthetic-memcg-v2-5.10-drop --area memcg --json
