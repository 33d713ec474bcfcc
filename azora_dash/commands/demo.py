"""``azora-dash demo``: serve synthetic Azora metrics so the dashboards can be seen populated."""

from __future__ import annotations

import errno
import socket
import time

import click
import yaml

from ..config import DEFAULT
from ..errors import ConfigError
from .common import handle_errors


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for a container).")
@click.option("--port", default=9464, show_default=True, help="Port to listen on.")
@click.option("--print-scrape-config", is_flag=True, help="Print Prometheus scrape_configs for the demo jobs and exit.")
@handle_errors
def demo(host, port, print_scrape_config):
    """Serve realistic synthetic metrics for every Azora job until interrupted.

    Each job is served on /metrics/<job>; scrape each path as its own Prometheus
    job (see --print-scrape-config) so series carry the job labels the dashboards use.

    \b
    Example:
      azora-dash demo --port 9464
      azora-dash demo --print-scrape-config --host demo > scrape.yml
    """
    from ..demo.server import DemoServer, make_jobs, scrape_configs

    if print_scrape_config:
        click.echo(
            yaml.safe_dump({"scrape_configs": scrape_configs(make_jobs(DEFAULT), f"{host}:{port}")}, sort_keys=False)
        )
        return
    try:
        server = DemoServer(DEFAULT, host, port).start()
    except OSError as exc:
        raise ConfigError(_listen_error(host, port, exc)) from None
    click.echo(f"serving {len(server.jobs)} jobs on http://{server.address}/metrics/<job>; Ctrl-C stops", err=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:  # Ctrl-C is how a demo ends: not an error
        click.echo("stopped", err=True)
    finally:
        server.stop()


def _listen_error(host: str, port: int, exc: OSError) -> str:
    """Which flag to change: a bad --host is not fixed by another --port."""
    if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on {host}:{port}: --host {host!r} is not an address of this machine; try 127.0.0.1"
    if exc.errno == errno.EADDRINUSE:
        return f"cannot listen on {host}:{port}: the port is in use; pick another --port"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}; check --host and --port"
