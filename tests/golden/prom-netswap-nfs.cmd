check --root tests/fixtures/synthetic-netswap-nfs --area netswap --format=prometheus
