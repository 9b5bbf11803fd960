explain --tz UTC --json tests/fixtures/synthetic-kmsg-records/dev/kmsg
