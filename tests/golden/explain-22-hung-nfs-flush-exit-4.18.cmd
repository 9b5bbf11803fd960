explain --tz UTC --year 2024 --json tests/fixtures/kmsg/22-hung-nfs-flush-exit-4.18.log
