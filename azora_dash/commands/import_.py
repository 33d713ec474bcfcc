"""``azora-dash import``: a dashboard's JSON (file or Grafana) -> a dashboard module."""

from __future__ import annotations

from pathlib import Path

import click

from ..config import DEFAULT
from ..errors import ConfigError, InputError
from .common import emit_json, format_option, handle_errors
from .push import connect, connection_options


def _from_grafana(uid: str, conn: dict) -> tuple[dict, str]:
    """Grafana's ``{"dashboard", "meta"}`` answer for ``uid`` and a name for messages (its URL)."""
    _, client = connect(**conn)
    try:
        found = client.get_dashboard(uid)
        if found is None:
            raise InputError(
                f"{client.shown}: no dashboard with uid {uid!r}; check the uid in the dashboard's URL (/d/<uid>)"
            )
        return found, client.dashboard_url(uid)
    finally:
        client.close()


def _datasource_map(values: tuple[str, ...]) -> dict[str, str]:
    """``("DS_PROMETHEUS=abc", "${DS_LOKI}=$loki")`` -> ``{"DS_PROMETHEUS": "abc", "DS_LOKI": "$loki"}``."""
    out = {}
    for item in values:
        key, sep, value = item.partition("=")
        key = key.strip().removeprefix("${").removesuffix("}")
        if not sep or not key or not value:
            raise ConfigError(f"--datasource {item!r}: expected NAME=UID or NAME='$variable', e.g. DS_PROMETHEUS=prom")
        out[key] = value
    return out


def _panels_line(report: dict) -> str:
    """``125 panel(s): 12 builder call(s), 113 JSON (111 timeseries: ..., 2 plugin panel ...)``."""
    total = report["builder_calls"] + report["json"]
    line = f"{total} panel(s): {report['builder_calls']} builder call(s), {report['json']} JSON"
    reasons = "; ".join(f"{n} {why}" for why, n in report["json_reasons"].items())
    return f"{line} ({reasons})" if reasons else line


@click.command("import")
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option(
    "--grafana", "grafana_uid", metavar="UID", help="Fetch the dashboard with this uid from Grafana instead of FILE."
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Folder for <slug>.py (default: dashboards/), or the module file itself if it ends in .py.",
)
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@click.option(
    "--datasource",
    "datasources",
    multiple=True,
    metavar="NAME=UID",
    help="Fill a grafana.com export's ${NAME} placeholder (__inputs) with a datasource uid, or with '$var' "
    "to use one of the dashboard's datasource variables. Repeatable.",
)
@connection_options
@format_option
@handle_errors
def import_(file, grafana_uid, out, force, datasources, fmt, **conn):
    """Turn a Grafana dashboard's JSON into a dashboard module that rebuilds it exactly.

    Anything our builders cannot express is carried as JSON and listed at the
    top of the module. With --grafana, the connection options are push's.

    \b
    Example:
      azora-dash import node-exporter-full.json --out dashboards/node_exporter.py
      azora-dash import zabbix.json --datasource DS_ZABBIX='$datasource'
      azora-dash import --grafana rYdddlPWk --env staging
    """
    from ..dashboard_file import load
    from ..importer import check_size, import_to_file

    if bool(file) == bool(grafana_uid):
        raise ConfigError("give exactly one of FILE or --grafana UID")
    if file:
        check_size(file)  # before reading: a 43 MB file would take gigabytes to import
    data, name = _from_grafana(grafana_uid, conn) if grafana_uid else (load(file), str(file))
    result = import_to_file(data, name, out, DEFAULT, force=force, datasources=_datasource_map(datasources))
    if fmt == "json":
        emit_json(
            {
                "out": str(result.out),
                "source": name,
                "carried": result.carried,
                "panels": result.panels,
                "schema_problems": result.schema_problems,
            }
        )
        return
    click.echo(f"wrote {result.out} ({result.carried} item(s) carried as JSON; see the comment at its top)")
    click.echo(_panels_line(result.panels))
    if result.schema_problems:
        click.echo(
            f"warning: the dashboard breaks {len(result.schema_problems)} rule(s) of Grafana's current schema, "
            f"first: {result.schema_problems[0]}; `azora-dash validate` will report them after the next build",
            err=True,
        )
