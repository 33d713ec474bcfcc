"""``azora-dash lint``: check dashboards and their PromQL (rules in azora_dash/lint/rules/)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import EXIT_FOUND
from ..lint.profiles import CHOICES
from .common import dashboards_option, emit_json, handle_errors, painter, progress, read_dashboards


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--fail-on",
    type=click.Choice(["warning", "error"]),
    default="error",
    show_default=True,
    help="Exit 1 when a problem of this severity or worse is found.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for machines, github for GitHub Actions annotations.",
)
@click.option("--rule", "only", multiple=True, metavar="ID", help="Run only this rule (repeatable).")
@click.option("--disable", multiple=True, metavar="ID", help="Skip this rule (repeatable).")
@click.option(
    "--catalogue",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Extra metric catalogue YAML (same format as azora_dash/lint/catalogue.yaml).",
)
@click.option(
    "--profile",
    type=click.Choice(CHOICES),
    default="auto",
    show_default=True,
    help="Which rule groups run: azora (all), foreign (no Azora house style: catalogue, descriptions, "
    "links to our dashboards), correctness (only broken queries and layout). auto: azora for dashboards "
    "our build wrote (tagged managed-by-azora-dash), foreign for the rest.",
)
@click.option("--list-rules", is_flag=True, help="Print the rule ids and summaries, then exit.")
@click.option("--list-suppressed", is_flag=True, help="List the deliberate exceptions that apply, with reasons.")
@dashboards_option
@handle_errors
def lint(paths, fail_on, fmt, only, disable, catalogue, profile, list_rules, list_suppressed, dashboards_dir):
    """Lint Grafana dashboards: datasource and variables, units, layout and PromQL.

    With no PATHS, lints what the code in dashboards/ builds now (no build needed),
    with the exceptions its modules declare (P.suppress). PATHS may be dashboard
    JSON files or directories of them; a `.lint` file beside them (dashboard-linter's
    format) lists their exceptions. Exit 0 clean,
    1 problems at or above --fail-on, 2 usage or input errors.

    \b
    Example:
      azora-dash lint
      azora-dash lint --format github --fail-on warning exported/*.json
      azora-dash lint --disable target-instance --catalogue my-metrics.yaml
      azora-dash lint --profile foreign exported/*.json
    """
    from ..lint import Severity, report, run, select_rules
    from ..lint import catalogue as cat
    from ..lint.registry import RULES

    if list_rules:
        for rule in RULES:
            click.echo(f"{rule.id:32} {rule.severity.value:8} {rule.group:12} {rule.__doc__.strip().splitlines()[0]}")
        click.echo(
            "Known metrics: azora_dash/lint/catalogue.yaml (ours; add new metrics there) and --catalogue FILE "
            "(foreign ones). Rules: docs/rules.md.",
            err=True,
        )
        return
    rules = select_rules(RULES, only, disable)
    catalogue = cat.load(catalogue)  # configuration errors first, before reading any dashboard
    dashboards = read_dashboards(paths, dashboards_dir)
    result = run(dashboards, rules, catalogue, each=lambda xs: progress(xs, "dashboards linted"), profile=profile)
    if list_suppressed:
        _list_suppressed(result, fmt)
        return
    if fmt == "json":
        click.echo(report.as_json(result))
    else:
        lines = report.github(result) if fmt == "github" else report.text(result, painter())
        for line in lines:
            click.echo(line, color=True)
        click.echo(report.summary(result), err=True)
    if result.failing(Severity(fail_on)):
        sys.exit(EXIT_FOUND)


def _list_suppressed(result, fmt: str) -> None:
    from ..lint import report

    quiet = [p for p in result.problems if p.suppressed]
    if fmt == "json":
        emit_json([dict(p.to_dict(), line=report.line_of(p)) for p in quiet])
        return
    for p in quiet:
        where = f"{p.dashboard_uid} {p.panel_title!r}" if p.panel_title else p.dashboard_uid
        click.echo(f"{where}: [{p.rule}] {p.reason}")
    click.echo(f"{len(quiet)} suppressed problem(s)", err=True)
