explain --tz UTC --year 2024 --json tests/fixtures/kmsg/25-hung-iscsi-target-syslog-5.15.log
