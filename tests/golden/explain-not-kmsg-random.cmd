explain --json tests/fixtures/synthetic-not-kmsg/random.bin
