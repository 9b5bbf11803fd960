explain --json tests/fixtures/kmsg/02-oom-memcg-leaker-4.18.log
