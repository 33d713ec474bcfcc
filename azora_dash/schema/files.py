"""Validate dashboards read through ``dashboard_file`` (``azora-dash validate``, ``make dashboards``)."""

from __future__ import annotations

from ..dashboard_file import DashboardFile
from .model import validate


def validate_files(files: list[DashboardFile]) -> dict[str, list[str]]:
    """``{source: problems}``: each file's dashboard (unwrapped from any envelope) against the schema."""
    return {f.source: validate(f.dashboard) for f in files}
