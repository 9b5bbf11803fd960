explain --tz UTC --year 2024 --json tests/fixtures/kmsg/seed-003-alloc-xennet-order4-3.4.log
