check --list-metrics
