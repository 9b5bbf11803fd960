explain --tz UTC --year 2024 --json tests/fixtures/kmsg/34-pagealloc-ixgbe-rx-plus-oom-3.18.log
