explain --tz UTC --year 2024 --json tests/fixtures/kmsg/05-pagealloc-virtio_net-ceph-5.4.log
