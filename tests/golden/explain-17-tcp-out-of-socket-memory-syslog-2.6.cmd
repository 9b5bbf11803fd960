explain --tz UTC --year 2024 --json tests/fixtures/kmsg/17-tcp-out-of-socket-memory-syslog-2.6.log
