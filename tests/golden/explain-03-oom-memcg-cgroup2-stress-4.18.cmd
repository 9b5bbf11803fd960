explain --tz UTC --year 2024 --json tests/fixtures/kmsg/03-oom-memcg-cgroup2-stress-4.18.log
