check --root tests/fixtures/synthetic-netswap-quiet --area netswap --json
