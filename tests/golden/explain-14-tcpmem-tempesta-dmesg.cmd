explain --tz UTC --year 2024 --json tests/fixtures/kmsg/14-tcpmem-tempesta-dmesg.log
