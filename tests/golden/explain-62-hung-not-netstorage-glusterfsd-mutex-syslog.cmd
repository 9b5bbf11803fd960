explain --tz UTC --year 2024 --json tests/fixtures/kmsg/62-hung-not-netstorage-glusterfsd-mutex-syslog.log
