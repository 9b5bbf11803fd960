explain --tz UTC --year 2024 --json tests/fixtures/kmsg/50-neigh-arp_cache-router7-serial.log
