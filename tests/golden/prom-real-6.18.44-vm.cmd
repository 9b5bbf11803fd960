check --root tests/fixtures/6.18.44-vm-x86_64 --format=prometheus
