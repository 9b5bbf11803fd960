explain --tz UTC --year 2024 --json tests/fixtures/kmsg/57-netblk-nbd-nvme-tcp-spdk-ci.log
