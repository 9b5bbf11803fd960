explain --tz UTC --year 2024 --json tests/fixtures/kmsg/56-netblk-nbd-buse-other-side-error.log
