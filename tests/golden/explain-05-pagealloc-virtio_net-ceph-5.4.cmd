explain --json tests/fixtures/kmsg/05-pagealloc-virtio_net-ceph-5.4.log
