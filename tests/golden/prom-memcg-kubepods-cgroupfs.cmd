check --root tests/fixtures/synthetic-memcg-v2-kubepods-cgroupfs --area memcg --format=prometheus
