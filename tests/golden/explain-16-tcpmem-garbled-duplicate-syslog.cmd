explain --json tests/fixtures/kmsg/16-tcpmem-garbled-duplicate-syslog.log
