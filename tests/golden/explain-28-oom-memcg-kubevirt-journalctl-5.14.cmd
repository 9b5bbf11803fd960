explain --tz UTC --year 2024 --json tests/fixtures/kmsg/28-oom-memcg-kubevirt-journalctl-5.14.log
