explain --json --root tests/fixtures/synthetic-kmsg-records
