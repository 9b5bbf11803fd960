explain --tz UTC --year 2024 --json tests/fixtures/kmsg/16-tcpmem-garbled-duplicate-syslog.log
