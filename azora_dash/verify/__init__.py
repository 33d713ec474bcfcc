"""Run dashboard and rule queries against a live Prometheus and explain what returns nothing."""
