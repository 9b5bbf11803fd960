explain --tz UTC --year 2024 --json tests/fixtures/kmsg/61-hung-fuse-blobfuse-cp-3.10.log
