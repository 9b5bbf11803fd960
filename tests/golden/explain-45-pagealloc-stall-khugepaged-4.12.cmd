explain --json tests/fixtures/kmsg/45-pagealloc-stall-khugepaged-4.12.log
