explain --tz UTC --year 2024 --json tests/fixtures/kmsg/21-hung-nfs-write-open-6.18.log
