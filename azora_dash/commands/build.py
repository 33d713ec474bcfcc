"""``azora-dash build`` and ``azora-dash validate``."""

from __future__ import annotations

from pathlib import Path

import click

from ..config import DEFAULT
from . import fast
from .common import dashboards_option, format_option, handle_errors, read_dashboards


@click.command()
@dashboards_option
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default="provisioning",
    show_default=True,
    help="Output directory for Grafana provisioning files.",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and name the files that are stale.")
@click.option(
    "--schema",
    type=click.Choice(["v1", "v2"]),
    default="v1",
    show_default=True,
    help="v1: classic JSON plus provisioning YAML (Grafana 10-13). v2: dashboard.grafana.app/v2 resources (Grafana 13).",
)
@format_option
@handle_errors
def build(dashboards_dir, out, check, schema, fmt):
    """Compile dashboard modules into Grafana provisioning files.

    Writes only files whose content changed; if any dashboard fails, nothing is
    written.

    \b
    Example:
      azora-dash build --out provisioning/
      azora-dash build --check      # CI drift check
      azora-dash build --schema v2 --out build/v2
    """
    from ..build.project import build as run_build
    from ..build.project import build_v2

    if schema == "v2":
        if out == Path("provisioning"):
            raise click.UsageError("--schema v2 needs --out DIR: provisioning/ holds the classic (v1) build")
        run_build = build_v2
    result = run_build(DEFAULT, dashboards_dir, out, check=check)
    fast.report(out, result.uids, result.files, result.cached, check, fmt)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@dashboards_option
@format_option
@handle_errors
def validate(paths, dashboards_dir, fmt):
    """Check dashboards against Grafana's dashboard schema and invariants.

    With no PATHS, validates what the code in dashboards/ builds now (writing
    nothing); PATHS are dashboard JSON files or directories of them, in any form
    Grafana exports (classic, {dashboard, meta}, grafana.com, v1 resources).
    A file older than schemaVersion 36 is checked with the shapes Grafana
    migrates on load allowed; a missing uid or duplicate panel ids are
    warnings (Grafana repairs them on import) and do not fail.

    \b
    Example:
      azora-dash validate provisioning/dashboards/azora/azora-alerts.json
    """
    from ..dashboard_file import iter_paths

    fast.check(iter_paths(list(paths)) if paths else read_dashboards(paths, dashboards_dir), fmt)
