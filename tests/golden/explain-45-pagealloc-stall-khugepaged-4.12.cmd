explain --tz UTC --year 2024 --json tests/fixtures/kmsg/45-pagealloc-stall-khugepaged-4.12.log
