check --root tests/fixtures/synthetic-conntrack-quiet --area conntrack,netloss --json
