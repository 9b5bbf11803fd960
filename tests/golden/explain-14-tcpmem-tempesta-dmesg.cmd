explain --json tests/fixtures/kmsg/14-tcpmem-tempesta-dmesg.log
