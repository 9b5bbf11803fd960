explain --tz UTC --year 2024 --json tests/fixtures/kmsg/58-netblk-iscsi-ping-timeout-syslog.log
