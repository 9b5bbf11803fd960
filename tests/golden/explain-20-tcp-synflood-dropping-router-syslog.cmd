explain --json tests/fixtures/kmsg/20-tcp-synflood-dropping-router-syslog.log
