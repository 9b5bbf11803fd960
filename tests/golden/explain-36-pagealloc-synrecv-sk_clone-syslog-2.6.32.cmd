explain --tz UTC --year 2024 --json tests/fixtures/kmsg/36-pagealloc-synrecv-sk_clone-syslog-2.6.32.log
