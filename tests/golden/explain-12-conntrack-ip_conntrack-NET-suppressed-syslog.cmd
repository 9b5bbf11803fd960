explain --tz UTC --year 2024 --json tests/fixtures/kmsg/12-conntrack-ip_conntrack-NET-suppressed-syslog.log
