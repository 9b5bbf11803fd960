explain --tz UTC --year 2024 --json tests/fixtures/kmsg/13-conntrack-double-prefix-centos8-vs-centos6-syslog.log
