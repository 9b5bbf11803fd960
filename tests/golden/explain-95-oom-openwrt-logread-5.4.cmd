explain --tz UTC --json tests/fixtures/kmsg/95-oom-openwrt-logread-5.4.log
