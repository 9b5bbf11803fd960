check --root tests/fixtures/synthetic-netswap-blockdev --area netswap --json
