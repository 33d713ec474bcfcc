"""Past data with planted incidents: OpenMetrics text -> ``promtool tsdb create-blocks-from openmetrics`` -> a real Prometheus.

The history is generated at 15 s resolution on a 15 s grid ending an hour before
now (aligned to the hour), so rule evaluations land exactly on samples and the
expected episodes are known to the second.
"""

from __future__ import annotations

import contextlib
import math
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests
import yaml

from tests.verify.live_prometheus import binaries, free_port, running, wait_for

STEP = 15
TARGETS = {"azora-gateway": "api-gateway:4000", "node-exporter": "node-exporter:9100"}


@dataclass(frozen=True)
class Incident:
    job: str
    offset_s: int  # from the start of the history
    down_s: int  # up == 0 for this long (a whole number of steps)


@dataclass
class History:
    url: str
    start: float
    end: float
    incidents: tuple[Incident, ...]


def openmetrics(start: int, end: int, incidents) -> str:
    """``up`` per target: 1, except 0 during each incident."""
    lines = ["# HELP up Whether the target answered its last scrape.", "# TYPE up gauge"]
    for job, instance in TARGETS.items():
        down = [(start + i.offset_s, start + i.offset_s + i.down_s) for i in incidents if i.job == job]
        for ts in range(start, end + 1, STEP):
            value = 0 if any(a <= ts < b for a, b in down) else 1
            lines.append(f'up{{job="{job}",instance="{instance}"}} {value} {ts}')
    return "\n".join(lines) + "\n# EOF\n"


def create_blocks(text: str, tmp: Path) -> Path:
    source, data = tmp / "history.om", tmp / "data"
    source.write_text(text)
    promtool = binaries()["prometheus"].replace("prometheus", "promtool")
    result = subprocess.run(
        [promtool, "tsdb", "create-blocks-from", "openmetrics", str(source), str(data)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return data


def _loaded(url: str, start: float) -> bool:
    resp = requests.get(f"{url}/api/v1/query", params={"query": "count(up)", "time": start + 3600}, timeout=5)
    return bool(resp.json()["data"]["result"])


@contextlib.contextmanager
def backfilled(tmp: Path, incidents, days: float = 2):
    """A Prometheus (no scrape jobs) serving ``days`` of history with ``incidents``; yields a History."""
    end = int(math.floor(time.time() / 3600) * 3600) - 3600
    start = end - int(days * 86400)
    data = create_blocks(openmetrics(start, end, incidents), tmp)
    config = tmp / "prometheus.yml"
    config.write_text(yaml.safe_dump({"global": {"evaluation_interval": f"{STEP}s"}, "scrape_configs": []}))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [
        binaries()["prometheus"],
        f"--config.file={config}",
        f"--storage.tsdb.path={data}",
        "--storage.tsdb.retention.time=3650d",
        f"--web.listen-address=127.0.0.1:{port}",
        "--log.level=warn",
    ]
    with running(cmd, tmp / "prometheus.log"):
        wait_for(lambda: _loaded(url, start), "backfilled blocks", tmp / "prometheus.log", timeout=60)
        yield History(url, float(start), float(end), tuple(incidents))
