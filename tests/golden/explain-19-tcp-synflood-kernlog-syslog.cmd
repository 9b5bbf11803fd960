explain --json tests/fixtures/kmsg/19-tcp-synflood-kernlog-syslog.log
