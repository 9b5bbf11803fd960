explain --json tests/fixtures/kmsg/90-negative-boot-6.18-firecracker-vm.log
