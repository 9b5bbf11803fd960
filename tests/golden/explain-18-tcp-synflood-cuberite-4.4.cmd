explain --tz UTC --year 2024 --json tests/fixtures/kmsg/18-tcp-synflood-cuberite-4.4.log
