explain --tz UTC --year 2024 --json tests/fixtures/kmsg/10-conntrack-__ratelimit-pcfreak.log
