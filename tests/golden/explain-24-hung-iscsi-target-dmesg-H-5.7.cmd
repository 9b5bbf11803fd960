explain --tz UTC --year 2024 --json tests/fixtures/kmsg/24-hung-iscsi-target-dmesg-H-5.7.log
