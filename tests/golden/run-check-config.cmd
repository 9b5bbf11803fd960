run --check-config -c dist/headroom.conf
