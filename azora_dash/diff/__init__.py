"""Semantic diff of dashboards: Changes, their renderings, and the sources compared (files, git refs, Grafana)."""
