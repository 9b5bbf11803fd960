explain --tz UTC --year 2024 --json tests/fixtures/kmsg/90-negative-boot-6.18-firecracker-vm.log
