"""``azora-dash verify``: run every panel and rule query against a Prometheus and report what returns nothing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..config import DEFAULT
from ..errors import EXIT_FOUND
from .common import (
    dashboards_option,
    format_option,
    handle_errors,
    progress,
    prometheus_option,
    prometheus_tls,
    prometheus_tls_options,
    read_dashboards,
)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@dashboards_option
@prometheus_option
@click.option(
    "--rules",
    "rules",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Prometheus rule file to verify (repeatable). Default: monitoring/prometheus/alert_rules.yml if it exists.",
)
@click.option(
    "--range", "range_", default="1h", show_default=True, help="Dashboard time range ($__range) to query over."
)
@click.option(
    "--scrape-interval",
    default=DEFAULT.scrape_interval,
    show_default=True,
    help="Scrape interval used to derive $__rate_interval, as Grafana does.",
)
@click.option("--timeout", default=30.0, show_default=True, help="Seconds to wait for each API call.")
@click.option(
    "--token",
    envvar="PROMETHEUS_TOKEN",
    help="Bearer token (env PROMETHEUS_TOKEN, preferred: a flag shows in `ps`); never printed.",
)
@prometheus_tls_options
@format_option
@handle_errors
def verify(paths, dashboards_dir, url, rules, range_, scrape_interval, timeout, token, ca_bundle, insecure, fmt):
    """Prove every panel target and rule expression returns data from Prometheus.

    With no PATHS, checks what the code in dashboards/ builds now. Exit 0 when all
    return data, 1 when any is empty or fails, 2 when Prometheus is unreachable.

    \b
    Example:
      azora-dash verify --prometheus http://localhost:9090
      azora-dash verify provisioning/dashboards/azora/azora-alerts.json --rules monitoring/prometheus/alert_rules.yml --format json
    """
    from ..verify.core import (
        DEFAULT_RULES,
        OK,
        collect,
        make_window,
        render_json,
        render_text,
        run_all,
        summary_line,
    )
    from ..verify.prometheus import PrometheusClient

    rule_files = list(rules) or ([DEFAULT_RULES] if DEFAULT_RULES.exists() else [])
    targets = collect(read_dashboards(paths, dashboards_dir), rule_files)
    env = {**os.environ, "PROMETHEUS_TOKEN": token} if token else None
    client = PrometheusClient(url, timeout=timeout, env=env, verify=prometheus_tls(url, ca_bundle, insecure))
    window = make_window(range_, scrape_interval)
    results = run_all(client, targets, window, each=lambda xs: progress(xs, "queries run"))
    if fmt == "json":
        click.echo(render_json(results, client.shown, window))
    else:
        for line in render_text(results):
            click.echo(line)
        click.echo(summary_line(results), err=True)
    if any(r.status != OK for r in results):
        sys.exit(EXIT_FOUND)
