"""``azora-dash coverage``: which jobs and metric families the dashboards and alerts cover, against a live Prometheus."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from ..config import DEFAULT
from ..errors import EXIT_FOUND
from .common import (
    dashboards_option,
    emit_report,
    handle_errors,
    prometheus_option,
    prometheus_tls,
    prometheus_tls_options,
    read_dashboards,
    report_format_option,
    rule_files,
    rule_files_option,
)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@dashboards_option
@prometheus_option
@rule_files_option
@click.option("--timeout", default=30.0, show_default=True, help="Seconds to wait for each API call.")
@prometheus_tls_options
@report_format_option
@handle_errors
def coverage(paths, dashboards_dir, url, rules, timeout, ca_bundle, insecure, fmt):
    """Report monitoring coverage: per scrape job its dashboards, alerts and up; per metric family its users.

    With no PATHS, checks what the code in dashboards/ builds now. Exit 1 when an Azora
    service job is not covered (no dashboard, no availability alert, or down) or a
    query reads a metric Prometheus does not hold; 2 when Prometheus is unreachable.

    \b
    Example:
      azora-dash coverage --prometheus http://localhost:9090
      azora-dash coverage --format markdown >> "$GITHUB_STEP_SUMMARY"
    """
    from ..analyze import coverage as C
    from ..verify.prometheus import PrometheusClient

    files = rule_files(rules)
    uses = C.dashboard_uses(read_dashboards(paths, dashboards_dir)) + C.rule_uses(files)
    client = PrometheusClient(url, timeout=timeout, verify=prometheus_tls(url, ca_bundle, insecure))
    result = C.analyze(client, DEFAULT, uses, time.time())
    emit_report(result, fmt, C)
    if C.failed(result):
        sys.exit(EXIT_FOUND)
