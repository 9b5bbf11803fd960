explain --tz UTC --year 2024 --json tests/fixtures/kmsg/44-negative-xen-balloon-BUG-3.0.log
