explain --tz UTC --year 2024 --json tests/fixtures/kmsg/37-pagealloc-napi-journal-3.10-el7.log
