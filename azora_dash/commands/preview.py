"""``azora-dash preview``: draw each built dashboard's layout as SVG, with an HTML index."""

from __future__ import annotations

from pathlib import Path

import click

from .build import dashboards_option
from .common import emit_json, format_option, handle_errors, progress


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default="preview",
    show_default=True,
    help="Directory for <uid>.svg files and index.html (git-ignored).",
)
@click.option(
    "--base",
    metavar="REF",
    default=None,
    help="Mark what changed since git REF, exactly as `azora-dash diff --base REF` reports it.",
)
@dashboards_option
@format_option
@handle_errors
def preview(paths, out, base, dashboards_dir, fmt):
    """Draw built dashboards as self-contained SVGs, linked from an HTML index.

    PATHS are dashboard JSON files or directories; with none, previews what the
    code in --dashboards builds now (as `azora-dash diff` does). Open
    OUT/index.html in any browser; nothing is fetched and no script runs.
    Exits 0 once the previews are written, changes or not (`diff` is the
    check that exits 1); 2 on errors.

    \b
    Example:
      azora-dash preview                      # preview/index.html
      azora-dash preview provisioning/dashboards/azora
      azora-dash preview --base origin/main   # outline added/removed/moved/modified panels
    """
    from ..preview.site import INDEX
    from ..preview.site import preview as run_preview

    result = run_preview(list(paths), out, base, dashboards_dir, each=lambda xs: progress(xs, "dashboards drawn"))
    files = result.files
    if fmt == "json":
        emit_json(
            {
                "out": str(out),
                "index": str(out / INDEX),
                "dashboards": result.dashboards,
                "written": files.written,
                "removed": files.removed,
                "unchanged": files.unchanged,
                "changes": None if result.changes is None else len(result.changes),
            }
        )
        return
    for rel in files.written:
        click.echo(f"wrote {out / rel}")
    for rel in files.removed:
        click.echo(f"removed {out / rel}")
    changed = "" if result.changes is None else f", {len(result.changes)} change(s) since {base}"
    click.echo(f"{result.dashboards} dashboard preview(s){changed}; open {out / INDEX}", err=True)
