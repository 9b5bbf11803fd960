explain --json --json-lines tests/fixtures/kmsg/14-tcpmem-tempesta-dmesg.log
