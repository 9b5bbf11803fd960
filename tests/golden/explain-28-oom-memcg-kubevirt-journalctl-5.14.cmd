explain --json tests/fixtures/kmsg/28-oom-memcg-kubevirt-journalctl-5.14.log
