explain --tz UTC --year 2024 --json tests/fixtures/kmsg/23-hung-nbd-qemu-nbd-5.18.log
