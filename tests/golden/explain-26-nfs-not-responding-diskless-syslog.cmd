explain --json tests/fixtures/kmsg/26-nfs-not-responding-diskless-syslog.log
