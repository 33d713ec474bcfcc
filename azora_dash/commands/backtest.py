"""``azora-dash backtest``: replay alerting rules over the history Prometheus holds; count episodes and noise."""

from __future__ import annotations

import sys
import time

import click

from ..config import DEFAULT
from ..errors import EXIT_FOUND
from .common import (
    emit_report,
    handle_errors,
    prometheus_option,
    prometheus_tls,
    prometheus_tls_options,
    report_format_option,
    rule_files,
    rule_files_option,
)


@click.command()
@prometheus_option
@rule_files_option
@click.option("--range", "range_", default="7d", show_default=True, help="How far back to replay, e.g. 2d, 7d.")
@click.option("--end", type=float, default=None, help="End of the range as a Unix time. Default: now.")
@click.option(
    "--interval",
    default=DEFAULT.scrape_interval,
    show_default=True,
    help="Evaluation interval of groups that set none (prometheus.yml's evaluation_interval).",
)
@click.option("--max-episodes", type=int, default=None, help="Exit 1 if any rule would have fired more often.")
@click.option("--timeout", default=60.0, show_default=True, help="Seconds to wait for each API call.")
@prometheus_tls_options
@report_format_option
@handle_errors
def backtest(url, rules, range_, end, interval, max_episodes, timeout, ca_bundle, insecure, fmt):
    """Replay every alerting rule over past data: episodes, firing time, flapping.

    A report, not a gate: exit 0 unless the input is bad (2), or 1 when a rule
    exceeds --max-episodes.

    \b
    Example:
      azora-dash backtest --prometheus http://localhost:9090 --range 7d
      azora-dash backtest --rules monitoring/prometheus/alert_rules.yml --range 2d --format markdown
    """
    from ..analyze import backtest as B
    from ..verify.core import parse_duration
    from ..verify.prometheus import PrometheusClient

    files = rule_files(rules)
    loaded = B.load_rules(files, parse_duration(interval))
    client = PrometheusClient(url, timeout=timeout, verify=prometheus_tls(url, ca_bundle, insecure))
    result = B.run(client, loaded, parse_duration(range_), time.time() if end is None else end)
    for warning in result["warnings"]:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    emit_report(result, fmt, B)
    if max_episodes is not None and any(a["episodes"] > max_episodes for a in result["alerts"]):
        sys.exit(EXIT_FOUND)
