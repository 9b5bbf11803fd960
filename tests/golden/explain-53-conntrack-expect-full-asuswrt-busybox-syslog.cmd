explain --tz UTC --year 2024 --json tests/fixtures/kmsg/53-conntrack-expect-full-asuswrt-busybox-syslog.log
