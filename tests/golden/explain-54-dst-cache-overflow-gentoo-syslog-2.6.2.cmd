explain --tz UTC --year 2024 --json tests/fixtures/kmsg/54-dst-cache-overflow-gentoo-syslog-2.6.2.log
