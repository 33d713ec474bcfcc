"""Validate dashboards read through ``dashboard_file`` (``azora-dash validate``, ``make dashboards``)."""

from __future__ import annotations

from collections.abc import Iterable

from ..dashboard_file import DashboardFile
from .model import invariant_warnings, validate, validate_v2


def check_files(files: Iterable[DashboardFile]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """``({source: problems}, {source: warnings})``: each file's dashboard (unwrapped from any envelope)
    against the schema (a v2 resource against the v2 schema, as Grafana 13 would check it), and what
    Grafana repairs on import (no uid, duplicate panel ids; warnings, not errors, and none for v2).

    One pass that keeps only the answers, so that with
    ``dashboard_file.iter_paths`` thousands of files are never all in memory: a dashboard checked
    while its parse is still in the CPU cache, then freed for the next parse to reuse (held all at
    once they cost page faults and a full deallocation at the end)."""
    errors: dict[str, list[str]] = {}
    warnings: dict[str, list[str]] = {}
    for f in files:
        if f.form == "v2":
            errors[f.source] = validate_v2(f.raw)
        else:
            errors[f.source], warnings[f.source] = validate(f.dashboard), invariant_warnings(f.dashboard)
    return errors, warnings
