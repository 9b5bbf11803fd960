check --root tests/unit --json
