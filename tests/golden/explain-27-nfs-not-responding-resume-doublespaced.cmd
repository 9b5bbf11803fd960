explain --json tests/fixtures/kmsg/27-nfs-not-responding-resume-doublespaced.log
