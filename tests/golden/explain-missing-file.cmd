explain --tz UTC --year 2024 --json tests/fixtures/kmsg/does-not-exist.log
