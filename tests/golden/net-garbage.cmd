check --root tests/fixtures/synthetic-net-garbage --area conntrack,netloss --json
