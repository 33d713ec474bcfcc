"""What commands print and how they fail, without click.

``cli.main`` runs a plain ``azora-dash build`` before click is imported (``commands.fast``):
click's import is about a tenth of the benchmarked build start-up (issue 19). So the build's
report and the one error line are written here with ``print``, and every click command prints
through these same functions, so both paths write the same bytes and exit the same way.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager

from ..errors import EXIT_FOUND, AzoraDashError

# Ctrl-C: the shell's convention, 128 + SIGINT.
EXIT_INTERRUPTED = 130
_RED, _RESET = "\x1b[31m", "\x1b[0m"

# What the running command has got through, for the one line Ctrl-C prints ("3 of 40 dashboards linted").
done: dict[str, str] = {}


def echo(text: str = "", err: bool = False) -> None:
    print(text, file=sys.stderr if err else sys.stdout)


def emit_json(obj) -> None:
    echo(json.dumps(obj, indent=2, sort_keys=True))


def fail(message: str, code: int, fmt: str | None) -> None:
    """The one error line on stderr (red on a terminal, as ``click.secho`` paints it), then exit ``code``."""
    if fmt == "json":  # machines read stdout; an empty one on failure tells them nothing
        emit_json({"error": message})
    line = f"error: {message}"
    echo(f"{_RED}{line}{_RESET}" if sys.stderr.isatty() else line, err=True)
    sys.exit(code)


@contextmanager
def reported_errors(fmt: str | None):
    """Library exceptions as one line and exit 2 (or the error's own code); Ctrl-C says how far it got."""
    done.clear()
    try:
        yield
    except AzoraDashError as exc:
        fail(str(exc), exc.exit_code, fmt)
    except KeyboardInterrupt:
        got = f" after {done['what']}" if done else " before any work was done"
        fail(f"interrupted{got}", EXIT_INTERRUPTED, fmt)


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
            echo(f"stale: {out / rel}")
    else:
        for rel in files.written:
            echo(f"wrote {out / rel}")
        for rel in files.removed:
            echo(f"removed {out / rel}")
    if check and files.changed:
        echo(f"{len(files.changed)} {what} file(s) differ from the code; run `make dashboards` and commit.", err=True)
        sys.exit(EXIT_FOUND)
