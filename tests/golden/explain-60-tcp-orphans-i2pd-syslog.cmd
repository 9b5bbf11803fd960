explain --tz UTC --year 2024 --json tests/fixtures/kmsg/60-tcp-orphans-i2pd-syslog.log
