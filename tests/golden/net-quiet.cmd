check --root tests/fixtures/synthetic-net-quiet --area conntrack,netloss --json
