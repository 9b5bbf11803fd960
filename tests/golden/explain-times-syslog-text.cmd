explain --tz UTC --year 2024 tests/fixtures/kmsg/26-nfs-not-responding-diskless-syslog.log tests/fixtures/kmsg/11-conntrack-rfc3339-syslog-cumulus.log
