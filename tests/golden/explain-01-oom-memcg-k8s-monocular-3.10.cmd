explain --tz UTC --year 2024 --json tests/fixtures/kmsg/01-oom-memcg-k8s-monocular-3.10.log
