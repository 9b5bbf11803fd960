explain --tz UTC --year 2024 --json tests/fixtures/kmsg/09-conntrack-net_ratelimit-3.2.log
