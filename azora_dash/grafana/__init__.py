"""Grafana over its HTTP API: the client, named environments, push and pull."""
