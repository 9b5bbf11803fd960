explain --json tests/fixtures/kmsg/44-negative-xen-balloon-BUG-3.0.log
