status --run-dir /nonexistent-headroom-dir
