explain --tz UTC --year 2024 --json tests/fixtures/kmsg/04-pagealloc-tg3-tcp_collapse-2.6.18.log
