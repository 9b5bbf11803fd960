explain --tz UTC --year 2024 --json tests/fixtures/kmsg/30-oom-memcg-dmesg-T-zh-locale.log
