check --root tests/fixtures/synthetic-memcg-nocontroller --area memcg
