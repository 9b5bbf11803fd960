check --root tests/fixtures/6.18.44-x86_64-vm-net --area conntrack,netloss --json
