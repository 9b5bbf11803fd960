check --root tests/fixtures/synthetic-netswap-nfs --area netswap --json
