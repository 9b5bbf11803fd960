explain --tz UTC --year 2024 --json tests/fixtures/kmsg/64-wrapped-glued-callerid-kblockd-iova-5.2next-asposted.log
