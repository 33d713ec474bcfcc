"""``azora-dash diff``: what changed between two sets of dashboards, panel by panel."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from ..errors import EXIT_FOUND
from .build import dashboards_option
from .common import handle_errors, painter
from .push import connect, connection_options


def _sources(paths: tuple[Path, ...], base: str | None, grafana: bool):
    from ..diff.sources import Source

    if (base and grafana) or len(paths) > 2 or ((base or grafana) and len(paths) > 1):
        raise click.UsageError("give OLD NEW, or one of --base REF / --grafana with an optional NEW")
    if base or grafana:
        old = Source("git", base) if base else Source("grafana")
    elif paths:
        old, paths = Source("path", str(paths[0])), paths[1:]
    else:
        raise click.UsageError("nothing to compare: give OLD [NEW], --base REF or --grafana")
    new = Source("path", str(paths[0])) if paths else Source("worktree")
    return old, new


def _live(conn: dict):
    """Fetches live dashboards only when the grafana side is actually loaded."""

    def fetch():
        from ..config import DEFAULT
        from ..diff.sources import from_grafana

        target, client = connect(**conn)
        with contextlib.closing(client):
            return from_grafana(client, target.folder_uid, DEFAULT.managed_tag, conn["concurrency"])

    return fetch


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--base", metavar="REF", help="Old side: the dashboards built at git REF with that ref's code.")
@click.option(
    "--grafana", is_flag=True, help="Old side: the managed dashboards live in Grafana (connection options as for push)."
)
@dashboards_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text for terminals, markdown for a PR comment, json for machines.",
)
@connection_options
@handle_errors
def diff(paths, base, grafana, dashboards_dir, fmt, **conn):
    """Show dashboard changes semantically: panels added, removed, moved or modified.

    OLD and NEW are dashboard JSON files or directories. NEW defaults to the
    dashboards the working tree builds. Exit 0: no differences, 1: differences.

    \b
    Example:
      azora-dash diff --base origin/main
      azora-dash diff --grafana --env production
      azora-dash diff old/ provisioning/dashboards/azora --format json
    """
    from ..diff.render import render_json, render_markdown, render_text
    from ..diff.sources import compare

    old, new = _sources(paths, base, grafana)
    changes = compare(old, new, dashboards_dir=dashboards_dir, live=_live(conn))
    if fmt == "json":
        click.echo(render_json(changes), nl=False)
    elif fmt == "markdown":
        click.echo(render_markdown(changes), nl=False)
    else:
        click.echo(render_text(changes, painter()), nl=False, color=True)
    if changes:
        sys.exit(EXIT_FOUND)
