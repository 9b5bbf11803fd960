check --root tests/fixtures/synthetic-conntrack-absent --area conntrack,netloss --json
