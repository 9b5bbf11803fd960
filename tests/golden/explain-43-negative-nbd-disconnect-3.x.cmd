explain --tz UTC --year 2024 --json tests/fixtures/kmsg/43-negative-nbd-disconnect-3.x.log
