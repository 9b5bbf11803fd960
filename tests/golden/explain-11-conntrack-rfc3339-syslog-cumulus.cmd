explain --json tests/fixtures/kmsg/11-conntrack-rfc3339-syslog-cumulus.log
