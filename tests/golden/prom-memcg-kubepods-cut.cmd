check --root tests/fixtures/synthetic-memcg-v2-kubepods --area memcg --format=prometheus --memcg-top 2 --memcg-hits-max 1
