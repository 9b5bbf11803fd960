explain --tz UTC --year 2024 --json tests/fixtures/kmsg/42-negative-boot-2.6.18.log
