"""Compile dashboard modules: load them, normalise grafanalib's output, write provisioning files, cache."""
