snapshot --root tests/unit /tmp/hr-review-golden-never-created
