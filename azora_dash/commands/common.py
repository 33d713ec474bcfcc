"""Options and error handling shared by every command (pip-tools ``scripts/options.py``)."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from ..config import DEFAULT
from .output import done, emit_json, reported_errors

format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format; json is for machines.",
)

# Reports meant for PR comments also render as Markdown.
report_format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="Output format: text for people, markdown for PR comments, json for machines.",
)

prometheus_option = click.option(
    "--prometheus",
    "url",
    envvar=DEFAULT.datasource_url_env,
    default="http://localhost:9090",
    show_default=True,
    help=f"Prometheus base URL (env {DEFAULT.datasource_url_env}). Credentials come from "
    "PROMETHEUS_USER/PROMETHEUS_PASSWORD or PROMETHEUS_TOKEN.",
)

_CA_BUNDLE = click.option(
    "--ca-bundle",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CA certificate(s) to verify Prometheus's TLS certificate with.",
)
_INSECURE = click.option(
    "--insecure", is_flag=True, help="Do not verify Prometheus's TLS certificate (never in production)."
)


def prometheus_tls_options(fn):
    """``--ca-bundle``/``--insecure`` for every command that talks to Prometheus (as push has for Grafana)."""
    return _CA_BUNDLE(_INSECURE(fn))


def prometheus_tls(url: str, ca_bundle: Path | None, insecure: bool) -> bool | str:
    """requests' ``verify`` for those options; warns once that --insecure verifies nothing."""
    if insecure:
        import urllib3

        # One warning from us instead of one per request from urllib3 (as push does).
        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        click.secho(f"warning: --insecure: TLS certificates of {url} are NOT verified", fg="yellow", err=True)
        return False
    return str(ca_bundle) if ca_bundle else True


DEFAULT_RULE_FILES = (Path("monitoring/prometheus/alert_rules.yml"), Path("monitoring/prometheus/slo_rules.yml"))

rule_files_option = click.option(
    "--rules",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Rule file (repeatable). Default: the generated alert_rules.yml and slo_rules.yml.",
)


def rule_files(given) -> list[Path]:
    """The rule files given, else the generated ones that exist."""
    return list(given) or [f for f in DEFAULT_RULE_FILES if f.exists()]


def progress(items, what: str):
    """Iterate ``items`` ("dashboards linted"), with a progress bar on a terminal and nothing in CI.

    The count so far is kept, so an interrupted command can say how far it got.
    """
    items = list(items)
    done["what"] = f"0 of {len(items)} {what}"
    shown = sys.stderr.isatty() and len(items) > 1
    with click.progressbar(items, label=what, file=sys.stderr) if shown else _plain(items) as bar:
        for n, item in enumerate(bar, 1):
            yield item
            done["what"] = f"{n} of {len(items)} {what}"


class _plain:
    def __init__(self, items):
        self.items = items

    def __enter__(self):
        return self.items

    def __exit__(self, *exc):
        return False


def handle_errors(fn):
    """Turn library exceptions into one red line on stderr and exit 2 (or the error's own code).

    With ``--format json`` the same message is also printed on stdout as ``{"error": ...}``.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with reported_errors(kwargs.get("fmt")):
            return fn(*args, **kwargs)

    return wrapper


# Colours of problems by severity and of changes by kind.
_COLOURS = {
    "fatal": "red",
    "error": "red",
    "warning": "yellow",
    "info": "blue",
    "added": "green",
    "removed": "red",
    "modified": "yellow",
    "moved": "cyan",
}


def is_terminal(stream) -> bool:
    return stream.isatty()


def painter(stream=None):
    """``paint(text, kind)`` for a terminal, or None: no colour off a terminal or when NO_COLOR
    is set to anything non-empty (https://no-color.org)."""
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") or not is_terminal(stream):
        return None
    return lambda text, kind: click.style(text, fg=_COLOURS.get(kind))


dashboards_option = click.option(
    "--dashboards",
    "dashboards_dir",
    type=click.Path(path_type=Path),
    default="dashboards",
    show_default=True,
    help="Directory of dashboard modules (each defines build(cfg)).",
)


def read_dashboards(paths, dashboards_dir: Path = Path("dashboards")):
    """The dashboards a command works on: the JSON files/folders given or, with no PATH,
    what the code in ``dashboards_dir`` builds now (in memory, writing nothing)."""
    if paths:
        from ..dashboard_file import load_paths

        return load_paths(list(paths))
    from ..build.project import built_files
    from ..config import DEFAULT

    return built_files(DEFAULT, dashboards_dir)


def emit_report(result: dict, fmt: str, renderer) -> None:
    """Print an analysis result; ``renderer`` is its module with render_text() and render_markdown()."""
    if fmt == "json":
        emit_json(result)
    elif fmt == "markdown":
        click.echo(renderer.render_markdown(result), nl=False)
    else:
        for line in renderer.render_text(result):
            click.echo(line)
