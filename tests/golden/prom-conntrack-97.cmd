check --root tests/fixtures/synthetic-conntrack-97 --area conntrack --format=prometheus
