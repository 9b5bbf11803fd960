explain --tz America/New_York --json tests/fixtures/kmsg/29-oom-memcg-kubevirt-dmesg-T-5.3.log
