explain --tz UTC --year 2024 --json tests/fixtures/kmsg/38-pagealloc-dcache-ixgbe-interleaved-4.9.log
