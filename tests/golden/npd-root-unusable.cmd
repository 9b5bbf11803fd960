check --root tests/fixtures/nonexistent --npd
