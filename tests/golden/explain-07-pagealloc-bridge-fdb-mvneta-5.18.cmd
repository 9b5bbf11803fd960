explain --tz UTC --year 2024 --json tests/fixtures/kmsg/07-pagealloc-bridge-fdb-mvneta-5.18.log
