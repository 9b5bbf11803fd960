explain --tz UTC --year 2024 --json tests/fixtures/kmsg/02-oom-memcg-leaker-4.18.log
