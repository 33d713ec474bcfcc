"""``azora-dash diff``: what changed between two sets of dashboards, panel by panel."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import EXIT_FOUND
from .build import dashboards_option
from .common import handle_errors


def _sources(paths: tuple[Path, ...], base: str | None):
    from ..diff_sources import Source

    if len(paths) > 2 or (base and len(paths) > 1):
        raise click.UsageError("give OLD NEW, or --base REF [NEW]")
    if base:
        old = Source("git", base)
    elif paths:
        old, paths = Source("path", str(paths[0])), paths[1:]
    else:
        raise click.UsageError("nothing to compare: give OLD [NEW] or --base REF")
    new = Source("path", str(paths[0])) if paths else Source("worktree")
    return old, new


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--base", metavar="REF", help="Old side: the dashboards built at git REF with that ref's code.")
@dashboards_option
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True,
              help="text for terminals, markdown for a PR comment, json for machines.")
@handle_errors
def diff(paths, base, dashboards_dir, fmt):
    """Show dashboard changes semantically: panels added, removed, moved or modified.

    OLD and NEW are dashboard JSON files or directories. NEW defaults to the
    dashboards the working tree builds. Exit 0: no differences, 1: differences.

    \b
    Example:
      azora-dash diff --base origin/main
      azora-dash diff old/ provisioning/dashboards/azora --format json
    """
    from ..diff_render import render_json, render_markdown, render_text
    from ..diff_sources import compare

    old, new = _sources(paths, base)
    changes = compare(old, new, dashboards_dir=dashboards_dir)
    if fmt == "json":
        click.echo(render_json(changes), nl=False)
    elif fmt == "markdown":
        click.echo(render_markdown(changes), nl=False)
    else:
        click.echo(render_text(changes, color=sys.stdout.isatty()), nl=False, color=True)
    if changes:
        sys.exit(EXIT_FOUND)
