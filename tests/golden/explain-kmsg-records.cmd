explain --tz UTC --year 2024 --json --root tests/fixtures/synthetic-kmsg-records
