explain --tz Europe/Berln tests/fixtures/kmsg/14-tcpmem-tempesta-dmesg.log
