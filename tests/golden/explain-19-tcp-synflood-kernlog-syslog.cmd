explain --tz UTC --year 2024 --json tests/fixtures/kmsg/19-tcp-synflood-kernlog-syslog.log
