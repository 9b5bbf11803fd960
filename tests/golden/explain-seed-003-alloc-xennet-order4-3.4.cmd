explain --json tests/fixtures/kmsg/seed-003-alloc-xennet-order4-3.4.log
