explain --tz UTC --year 2024 --json tests/fixtures/kmsg/59-tcp-orphans-mptcp-openmptcprouter-5.4.log
