explain --json tests/fixtures/kmsg/22-hung-nfs-flush-exit-4.18.log
