"""Run instrumentation/node under real Node (prom-client and express from its npm lock file).

`make test` installs Debian's nodejs/npm when missing and runs `npm ci` in instrumentation/node
(target `node`). When either is missing under CI that is a broken set-up and the test fails;
on a developer machine it skips and says how to fix it.
"""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from prometheus_client.openmetrics.parser import text_string_to_metric_families

from ..conftest import ROOT, skip_or_fail
from ..verify.live_prometheus import stop

NODE_DIR = ROOT / "instrumentation" / "node"
OPENMETRICS = "application/openmetrics-text; version=1.0.0"


def require_node() -> str:
    node = shutil.which("node") or shutil.which("nodejs")
    missing = (
        "node is not on PATH"
        if not node
        else "instrumentation/node has no node_modules"
        if not (NODE_DIR / "node_modules" / "prom-client").is_dir()
        else ""
    )
    if not missing:
        return node
    skip_or_fail(f"{missing}; `make node` installs Debian's nodejs/npm and runs npm ci")


def _first_line(proc: subprocess.Popen, timeout: float) -> str:
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(proc.stdout.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        return ""


@contextmanager
def running(script: Path | str, *args: str) -> Iterator[str]:
    """Start a Node script that prints `listening on http://127.0.0.1:PORT`; yield its base URL."""
    node = require_node()
    # PORT 0: the kernel picks a free port, the script prints it. A 1 MiB young generation makes V8
    # collect garbage within a few hundred requests, so prom-client's nodejs_gc_duration_seconds has series.
    env = {**os.environ, "PORT": "0", "NODE_OPTIONS": "--max-semi-space-size=1"}
    proc = subprocess.Popen(
        [node, str(script), *args], cwd=NODE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        # A start-up guard, not a speed assertion: Node starts in well under a second.
        line = _first_line(proc, timeout=30)
        if not line.startswith("listening on "):
            proc.kill()
            pytest.fail(f"{script} did not start: {line!r} {proc.communicate(timeout=10)[1]}")
        yield line.split()[-1].strip()
    finally:
        stop(proc)


def scrape(base: str) -> dict:
    """family name -> prometheus_client Metric, from the app's OpenMetrics /metrics."""
    response = requests.get(f"{base}/metrics", headers={"Accept": OPENMETRICS}, timeout=10)
    response.raise_for_status()
    assert response.headers["Content-Type"].startswith("application/openmetrics-text")
    return {f.name: f for f in text_string_to_metric_families(response.text)}
