"""Synthetic metrics for every Azora job, served like the real exporters."""
