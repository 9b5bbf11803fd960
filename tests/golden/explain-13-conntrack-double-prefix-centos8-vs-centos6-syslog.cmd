explain --json tests/fixtures/kmsg/13-conntrack-double-prefix-centos8-vs-centos6-syslog.log
