"""``azora-dash monitoring``: generate the stack files (alert rules, Prometheus, Alertmanager, compose)."""

from __future__ import annotations

from pathlib import Path

import click

from ..config import DEFAULT
from .common import format_option, handle_errors
from .output import report_files


@click.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default="monitoring",
    show_default=True,
    help="Output directory for the monitoring stack files.",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and name the files that are stale.")
@format_option
@handle_errors
def monitoring(out, check, fmt):
    """Generate alert rules, prometheus.yml, alertmanager.yml, docker-compose.yml and RUNBOOKS.md.

    Writes only files whose content changed.

    \b
    Example:
      azora-dash monitoring --out monitoring/
      azora-dash monitoring --check     # CI drift check
    """
    from ..stack import generate

    report_files(out, generate(DEFAULT, out, check=check), check, fmt, "monitoring")
