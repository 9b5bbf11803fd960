explain --json tests/fixtures/synthetic-not-kmsg/hostname
