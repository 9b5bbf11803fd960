explain --tz UTC --year 2024 --json tests/fixtures/kmsg/27-nfs-not-responding-resume-doublespaced.log
