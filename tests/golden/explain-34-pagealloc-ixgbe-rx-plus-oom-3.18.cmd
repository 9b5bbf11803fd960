explain --json tests/fixtures/kmsg/34-pagealloc-ixgbe-rx-plus-oom-3.18.log
