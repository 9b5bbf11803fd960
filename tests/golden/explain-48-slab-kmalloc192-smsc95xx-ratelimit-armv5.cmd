explain --tz UTC --year 2024 --json tests/fixtures/kmsg/48-slab-kmalloc192-smsc95xx-ratelimit-armv5.log
