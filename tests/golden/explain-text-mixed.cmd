explain tests/fixtures/kmsg/05-pagealloc-virtio_net-ceph-5.4.log tests/fixtures/kmsg/09-conntrack-net_ratelimit-3.2.log tests/fixtures/kmsg/28-oom-memcg-kubevirt-journalctl-5.14.log
