explain --tz UTC --year 2024 --json tests/fixtures/kmsg/15-tcpmem-cpanel-syslog.log
