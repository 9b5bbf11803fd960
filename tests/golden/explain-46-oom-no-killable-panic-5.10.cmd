explain --tz UTC --year 2024 --json tests/fixtures/kmsg/46-oom-no-killable-panic-5.10.log
