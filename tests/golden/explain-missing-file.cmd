explain --json tests/fixtures/kmsg/does-not-exist.log
