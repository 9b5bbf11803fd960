explain --json tests/fixtures/kmsg/09-conntrack-net_ratelimit-3.2.log
