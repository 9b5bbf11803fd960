explain --tz UTC --year 2024 --json tests/fixtures/kmsg/52-neigh-syslog-printk-suppressed-2.6.log
