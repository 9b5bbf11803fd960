explain --tz UTC --year 2024 --json tests/fixtures/kmsg/31-oom-global-perl-plus-synflood-3.13.log
