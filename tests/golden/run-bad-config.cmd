run --check-config -c tests/golden/run-bad-config.conf
