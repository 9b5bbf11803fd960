check --root tests/fixtures/synthetic-net-4.4 --area conntrack,netloss --json
