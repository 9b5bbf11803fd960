explain --tz UTC --year 2024 --json tests/fixtures/kmsg/63-wrapped-pagealloc-virtio_net-ceph-5.4-asposted.log
