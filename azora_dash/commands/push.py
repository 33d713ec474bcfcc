"""``azora-dash push`` and ``azora-dash pull``: the Grafana HTTP API side.

``requests`` is imported only through ``azora_dash.grafana.client``, which these
commands load lazily, so ``azora-dash build`` never pays for it.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path

import click

from ..config import DEFAULT
from ..errors import EXIT_ERROR, EXIT_FOUND
from .build import dashboards_option
from .common import emit_json, format_option, handle_errors

_CONNECTION = (
    click.option("--env", "env", metavar="NAME", help="Named environment from the environment file, e.g. staging."),
    click.option("--url", help="Grafana base URL; beats GRAFANA_URL and --env."),
    click.option("--token", help="Service-account token; prefer GRAFANA_TOKEN or the environment's token_env."),
    click.option(
        "--env-file",
        type=click.Path(path_type=Path),
        default="azora-dash.yaml",
        show_default=True,
        help="Environment file (URL, folder and token variable NAME per environment).",
    ),
    click.option("--ca-bundle", type=click.Path(dir_okay=False), help="CA bundle for a private certificate authority."),
    click.option("--insecure", is_flag=True, help="Skip TLS certificate verification (warns; never in production)."),
    click.option("--timeout", type=float, default=10.0, show_default=True, help="Seconds to wait for each request."),
    click.option("--concurrency", type=click.IntRange(1, 64), default=4, show_default=True, help="Parallel requests."),
    click.option(
        "--org",
        "org",
        type=click.IntRange(1),
        metavar="ID",
        help="Grafana org id (X-Grafana-Org-Id); or GRAFANA_ORG_ID.",
    ),
    click.option("--verbose", "-v", is_flag=True, help="Trace every HTTP request to stderr (never credentials)."),
)


def connection_options(fn):
    for option in reversed(_CONNECTION):
        fn = option(fn)
    return fn


def connect(env, url, token, env_file, ca_bundle, insecure, timeout, concurrency, verbose, org=None):
    """(Target, GrafanaClient) from ``connection_options``' values; other commands (diff --grafana) reuse it."""
    from ..grafana.environments import resolve
    from ..grafana.pull import connect as client_for

    target = resolve(
        DEFAULT,
        env=env,
        url=url,
        token=token,
        env_file=env_file,
        ca_bundle=ca_bundle,
        insecure=insecure,
        timeout=timeout,
        org=org,
    )
    if insecure:
        import urllib3

        # One warning from us instead of one per request from urllib3.
        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        click.secho(f"warning: --insecure: TLS certificates of {target.url} are NOT verified", fg="yellow", err=True)
    trace = (lambda line: click.echo(f"trace: {line}", err=True)) if verbose else None
    return target, client_for(target, concurrency=concurrency, trace=trace)


def _git_commit() -> str | None:
    """The commit being pushed, for Grafana's version history message."""
    try:
        out = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


@click.command()
@dashboards_option
@click.option("--dry-run", is_flag=True, help="Print the plan; make no write call.")
@click.option("--force", is_flag=True, help="Overwrite dashboards changed in Grafana since the last push.")
@click.option("--prune", is_flag=True, help="Delete managed dashboards in the folder that are no longer in code.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask, even for an environment with `confirm: true`.")
@click.option(
    "--schema",
    type=click.Choice(["auto", "v1", "v2"]),
    default="auto",
    show_default=True,
    help="v2: store every dashboard as schema v2 (Grafana 12.2+). v1: as classic JSON. "
    "auto: keep the schema each one is stored in; new ones as v1.",
)
@connection_options
@format_option
@handle_errors
def push(dashboards_dir, dry_run, force, prune, yes, schema, fmt, concurrency, **conn):
    """Push the built dashboards to Grafana, skipping unchanged ones.

    Refuses (exit 1, nothing written) when a dashboard was edited in Grafana
    since azora-dash last pushed it, unless --force. An environment with
    `confirm: true` shows the plan and asks first on a terminal (--yes skips).

    \b
    Example:
      azora-dash push --env staging --dry-run
      azora-dash push --env staging --schema v2
      GRAFANA_URL=https://grafana.example GRAFANA_TOKEN=... azora-dash push --prune
    """
    from ..build.project import render
    from ..grafana.push import apply_plan, plan_push, validate_plan

    target, client = connect(concurrency=concurrency, **conn)
    compiled = render(DEFAULT, dashboards_dir)[0]
    local = {c.uid: c.dashboard for c in compiled}
    with _progress(len(local), fmt, "planning") as progress:
        plan = plan_push(
            client,
            local,
            target.folder,
            target.folder_uid,
            DEFAULT.managed_tag,
            prune,
            concurrency,
            progress,
            schema,
            {c.uid: c.sections for c in compiled},
            target.parent_folder_uid,
        )
    if conn["verbose"]:
        click.echo(f"trace: Grafana {plan.grafana_version} at {target.url}, dashboards over {plan.api}", err=True)
    outcome = None
    if dry_run:
        validate_plan(plan, _git_commit())
    elif not _confirmed(target, plan, fmt, yes):
        click.echo(f"not pushed: declined at the prompt; nothing written to {target.url}", err=True)
        sys.exit(EXIT_FOUND)
    else:
        with _progress(len(plan.writes), fmt, "pushing") as progress:
            outcome = apply_plan(client, plan, _git_commit(), force, concurrency, progress)
    _report_push(target, plan, outcome, fmt)
    sys.exit(_exit_code(plan, outcome, dry_run and not force))


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


def _confirmed(target, plan, fmt: str, yes: bool) -> bool:
    """An environment with ``confirm: true`` asks on a terminal; --yes, a non-terminal (CI) or
    a plan that writes nothing go ahead without a question."""
    if yes or not target.confirm or not plan.writes or not _interactive():
        return True
    _report_push(target, plan, None, fmt)
    return click.confirm(f"Push {len(plan.writes)} change(s) to {target.env} ({target.url})?", err=True)


def _exit_code(plan, outcome, dry_run: bool) -> int:
    if outcome is not None and outcome.error is not None:
        return EXIT_ERROR
    if outcome is not None and (outcome.count("conflict") or outcome.count("provisioned")):
        return EXIT_FOUND
    if dry_run and (plan.of("conflict") or plan.of("provisioned")):
        return EXIT_FOUND
    return 0


@contextlib.contextmanager
def _progress(total: int, fmt: str, label: str):
    """A progress bar on an interactive stderr only: CI logs stay clean."""
    if fmt != "text" or total < 2 or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


_DONE = {"create": "created", "update": "updated", "delete": "deleted", "unchanged": "unchanged"}


def _verb(item, applied: bool) -> str:
    if not applied:
        return item.action
    return _DONE.get(item.action, item.action) if item.outcome == "done" else item.outcome


def _report_push(target, plan, outcome, fmt: str) -> None:
    applied = outcome is not None
    rows = [
        {
            "uid": i.uid,
            "title": i.title,
            "action": i.action,
            "result": _verb(i, applied),
            "url": i.url,
            "reason": i.reason,
            "schema": i.schema,
        }
        for i in plan.items
    ]
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["result"]] = counts.get(row["result"], 0) + 1
    error = str(outcome.error) if applied and outcome.error else None
    if fmt == "json":
        emit_json(
            {
                "url": target.url,
                "env": target.env,
                "grafana_version": plan.grafana_version,
                "api": plan.api,
                "folder": target.folder,
                "folder_uid": target.folder_uid,
                "dry_run": not applied,
                "create_folder": plan.create_folder,
                "refused": bool(applied and outcome.refused),
                "dashboards": rows,
                "summary": counts,
                "error": error,
            }
        )
        return
    if plan.create_folder:
        inside = f" in {plan.parent_uid}" if plan.parent_uid else ""
        click.echo(
            f"{'created' if applied else 'create':<10} folder {target.folder!r} (uid {target.folder_uid}){inside}"
        )
    for row in rows:
        click.echo(
            f"{row['result']:<10} {row['uid']:<32} {row['url']}" + (f"  -- {row['reason']}" if row["reason"] else "")
        )
    summary = ", ".join(f"{n} {verb}" for verb, n in sorted(counts.items())) or "no dashboards"
    click.echo(
        f"{target.url} folder {target.folder!r}: {summary}" + ("" if applied else " (dry run: nothing written)"),
        err=True,
    )
    if applied and outcome.refused:
        click.echo(
            f"refused: {counts.get('conflict', 0)} dashboard(s) changed in Grafana since azora-dash pushed them; "
            "nothing was written. Review them (azora-dash pull UID) and rerun with --force to overwrite.",
            err=True,
        )
    if error:
        click.secho(f"error: {error}", fg="red", err=True)


@click.command()
@click.argument("uids", nargs=-1)
@click.option("--folder", "folder_uid", metavar="UID", help="Folder uid to pull (default: the target's folder).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default="live",
    show_default=True,
    help="Directory to write <uid>.json files into.",
)
@click.option("--recursive", "-r", is_flag=True, help="Also pull the folders nested in the folder (Grafana 11+).")
@click.option(
    "--schema",
    type=click.Choice(["v1", "v2"]),
    default="v1",
    show_default=True,
    help="v1: classic JSON as `build` writes it. v2: dashboard.grafana.app/v2 resources as `build --schema v2`.",
)
@connection_options
@format_option
@handle_errors
def pull(uids, folder_uid, out, recursive, schema, fmt, concurrency, **conn):
    """Download live dashboards as canonical JSON, to compare what is live with the code.

    Dashboards Grafana stores in schema v2 are read from its v2 API and written in the
    chosen --schema like the others.

    \b
    Example:
      azora-dash pull --env production --out live/
      azora-dash pull --env production --schema v2 --out live-v2/
      azora-dash pull azora-api-gateway --url https://grafana.example
    """
    from ..grafana.pull import pull as run_pull

    target, client = connect(concurrency=concurrency, **conn)
    where = None if uids else (folder_uid or target.folder_uid)
    live, files = run_pull(client, out, uids, where, concurrency, schema, recursive)
    if fmt == "json":
        emit_json({"url": target.url, "out": str(out), "dashboards": sorted(live), "written": files.written})
        return
    for rel in files.written:
        click.echo(f"wrote {out / rel}")
    click.echo(
        f"{len(live)} dashboard(s) pulled; {len(files.written)} written, {len(files.unchanged)} unchanged", err=True
    )
