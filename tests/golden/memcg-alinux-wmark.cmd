check --root tests/fixtures/synthetic-memcg-alinux-wmark --area memcg --json
