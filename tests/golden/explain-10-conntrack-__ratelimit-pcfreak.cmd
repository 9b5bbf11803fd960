explain --json tests/fixtures/kmsg/10-conntrack-__ratelimit-pcfreak.log
