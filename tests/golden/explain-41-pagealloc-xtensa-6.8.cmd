explain --tz UTC --year 2024 --json tests/fixtures/kmsg/41-pagealloc-xtensa-6.8.log
