explain --tz UTC --year 2024 --json tests/fixtures/kmsg/35-pagealloc-ipoib-rx-syslog-2.6.32.log
