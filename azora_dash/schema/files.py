"""Validate dashboards read through ``dashboard_file`` (``azora-dash validate``, ``make dashboards``)."""

from __future__ import annotations

from ..dashboard_file import DashboardFile
from .model import invariant_warnings, validate, validate_v2


def validate_files(files: list[DashboardFile]) -> dict[str, list[str]]:
    """``{source: problems}``: each file's dashboard (unwrapped from any envelope) against the schema
    (a v2 resource against the v2 schema, as Grafana 13 would check it)."""
    return {f.source: validate_v2(f.raw) if f.form == "v2" else validate(f.dashboard) for f in files}


def warn_files(files: list[DashboardFile]) -> dict[str, list[str]]:
    """``{source: warnings}``: what Grafana repairs on import (no uid, duplicate panel ids); not errors."""
    return {f.source: invariant_warnings(f.dashboard) for f in files if f.form != "v2"}
