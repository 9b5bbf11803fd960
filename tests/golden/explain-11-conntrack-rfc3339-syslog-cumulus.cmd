explain --tz UTC --year 2024 --json tests/fixtures/kmsg/11-conntrack-rfc3339-syslog-cumulus.log
