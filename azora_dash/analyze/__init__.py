"""Measure the stack against the spec's success metrics: monitoring coverage and alert backtesting."""
