explain --tz UTC --year 2024 --json tests/fixtures/kmsg/20-tcp-synflood-dropping-router-syslog.log
