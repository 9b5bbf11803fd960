snapshot --root tests/fixtures/synthetic-kmsg-records tests/fixtures/synthetic-not-kmsg/hostname
