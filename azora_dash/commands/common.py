"""Options and error handling shared by every command (pip-tools ``scripts/options.py``)."""

from __future__ import annotations

import functools
import json
import sys

import click

from ..errors import EXIT_ERROR, EXIT_FOUND, AzoraDashError

format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format; json is for machines.",
)


def handle_errors(fn):
    """Turn library exceptions into one red line on stderr and exit 2 (or the error's own code)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except AzoraDashError as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.secho("error: interrupted", fg="red", err=True)
            sys.exit(EXIT_ERROR)

    return wrapper


def emit_json(obj) -> None:
    click.echo(json.dumps(obj, indent=2, sort_keys=True))


def report_files(out, files, check: bool, fmt: str, what: str, extra: dict | None = None) -> None:
    """Print a write/plan result (``jsonio.WriteResult``); with ``check``, exit 1 if anything is stale.

    Shared by every command that generates files, so drift checks read the same everywhere.
    """
    if fmt == "json":
        emit_json(
            {
                "out": str(out),
                "check": check,
                "written": files.written,
                "removed": files.removed,
                "unchanged": files.unchanged,
                **(extra or {}),
            }
        )
    elif check:
        for rel in files.changed:
            click.echo(f"stale: {out / rel}")
    else:
        for rel in files.written:
            click.echo(f"wrote {out / rel}")
        for rel in files.removed:
            click.echo(f"removed {out / rel}")
    if check and files.changed:
        click.echo(
            f"{len(files.changed)} {what} file(s) differ from the code; run `make dashboards` and commit.", err=True
        )
        sys.exit(EXIT_FOUND)
