explain --tz UTC --year 2024 --json tests/fixtures/kmsg/06-pagealloc-callerid-kblockd-iova-5.2next.log
