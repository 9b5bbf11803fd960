explain --tz UTC --year 2024 --json tests/fixtures/kmsg/39-pagealloc-coreos-java-syslog-4.9.log
