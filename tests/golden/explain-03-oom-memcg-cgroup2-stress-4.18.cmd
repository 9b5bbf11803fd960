explain --json tests/fixtures/kmsg/03-oom-memcg-cgroup2-stress-4.18.log
