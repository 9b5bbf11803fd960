explain --tz UTC --year 2024 --json tests/fixtures/kmsg/08-pagealloc-lkrg-chrome-syslog-5.13.log
