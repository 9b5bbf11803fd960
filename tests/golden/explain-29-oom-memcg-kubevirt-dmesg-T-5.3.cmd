explain --tz UTC --year 2024 --json tests/fixtures/kmsg/29-oom-memcg-kubevirt-dmesg-T-5.3.log
