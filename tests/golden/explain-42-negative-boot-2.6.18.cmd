explain --json tests/fixtures/kmsg/42-negative-boot-2.6.18.log
