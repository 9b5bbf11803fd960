explain --json tests/fixtures/kmsg/15-tcpmem-cpanel-syslog.log
