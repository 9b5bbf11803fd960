explain tests/fixtures/synthetic-not-kmsg/hostname tests/fixtures/kmsg/14-tcpmem-tempesta-dmesg.log
