explain --json tests/fixtures/kmsg/39-pagealloc-coreos-java-syslog-4.9.log
