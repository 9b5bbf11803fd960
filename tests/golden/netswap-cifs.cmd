check --root tests/fixtures/synthetic-netswap-cifs --area netswap --json
