explain --tz UTC --year 2024 --json tests/fixtures/kmsg/26-nfs-not-responding-diskless-syslog.log
