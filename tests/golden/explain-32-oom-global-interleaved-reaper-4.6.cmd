explain --tz UTC --year 2024 --json tests/fixtures/kmsg/32-oom-global-interleaved-reaper-4.6.log
