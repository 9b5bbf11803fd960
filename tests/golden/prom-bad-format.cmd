check --format=xml
