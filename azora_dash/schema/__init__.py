"""Grafana's dashboard JSON schemas (vendored) and validation against them."""
