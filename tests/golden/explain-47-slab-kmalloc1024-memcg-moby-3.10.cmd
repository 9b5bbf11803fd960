explain --tz UTC --year 2024 --json tests/fixtures/kmsg/47-slab-kmalloc1024-memcg-moby-3.10.log
