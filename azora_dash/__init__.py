"""azora-dash: Grafana dashboards and the monitoring stack of Azora OS, as code."""

__version__ = "0.1.0"
