explain --tz UTC --year 2024 --json tests/fixtures/kmsg/49-slab-mnt_cache-two-nodes-docker-4.4.log
