check --root tests/fixtures/synthetic-net-drops --area conntrack,netloss --json
