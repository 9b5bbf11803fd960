explain --tz UTC --year 2024 --json tests/fixtures/kmsg/55-dst-cache-overflow-ratelimit-2.6.32.log
