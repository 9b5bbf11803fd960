explain --tz UTC --year 2024 --json tests/fixtures/kmsg/40-pagealloc-mtk_rx_alloc-open-4.14.log
