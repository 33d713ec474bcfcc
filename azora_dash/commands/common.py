"""Options and error handling shared by every command (pip-tools ``scripts/options.py``)."""
from __future__ import annotations

import functools
import json
import sys

import click

from ..errors import EXIT_ERROR, AzoraDashError

format_option = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
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
