explain --tz UTC --year 2024 --json-lines tests/fixtures/kmsg/11-conntrack-rfc3339-syslog-cumulus.log tests/fixtures/kmsg/14-tcpmem-tempesta-dmesg.log
