explain --json tests/fixtures/kmsg/30-oom-memcg-dmesg-T-zh-locale.log
