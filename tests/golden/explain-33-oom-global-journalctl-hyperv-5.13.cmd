explain --tz UTC --year 2024 --json tests/fixtures/kmsg/33-oom-global-journalctl-hyperv-5.13.log
