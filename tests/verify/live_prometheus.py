"""A real Prometheus (Debian package) scraping the demo exporter and a real node-exporter, for end-to-end tests.

Everything listens on 127.0.0.1 with free ports and a fresh storage directory,
and every process is stopped by PID in a ``finally``, even when start-up fails.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests
import yaml

from azora_dash.config import DEFAULT
from azora_dash.demo.server import DemoServer, scrape_configs

# A rule that is always firing, so ALERTS/ALERTS_FOR_STATE (which Prometheus writes only
# for pending/firing alerts) exist and the Alerts dashboard's panels can be checked. It is
# critical so that CriticalAlertEscalation's input (firing criticals) exists too; the demo
# itself is healthy and trips no generated alert.
ALWAYS_FIRING = {
    "groups": [
        {
            "name": "verify-e2e",
            "rules": [
                {
                    "alert": "AzoraVerifyAlwaysFiring",
                    "expr": "vector(1)",
                    "labels": {"severity": "critical"},
                    "annotations": {"summary": "Test-only alert: keeps ALERTS series present."},
                }
            ],
        }
    ]
}
SCRAPE_INTERVAL = "1s"
MIN_SCRAPES = 3  # two for rate(), one of margin for a scrape landing mid-query


@dataclass
class Stack:
    url: str
    rules: list[Path]
    jobs: list[str]
    service_jobs: tuple[str, ...] = DEFAULT.service_jobs


def free_ports(n: int) -> list[int]:
    """``n`` different free ports. The sockets are held open together: bound and closed one after
    another, the kernel may hand out the port it has just been given back (node-exporter and
    Prometheus were once started on the same one)."""
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(n)]
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]


def free_port() -> int:
    return free_ports(1)[0]


def binaries() -> dict[str, str | None]:
    return {"prometheus": shutil.which("prometheus"), "node-exporter": shutil.which("prometheus-node-exporter")}


@contextlib.contextmanager
def running(cmd: list[str], log: Path):
    """Start ``cmd``; always stop it by PID (terminate, then kill) on the way out."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        yield proc
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    """Terminate a process we started, by its PID; kill it if it does not exit in 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def wait_for(check, what: str, log: Path | None = None, timeout: float = 45.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(requests.RequestException):
            if check():
                return
        time.sleep(0.25)
    tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}\n{tail}")


def _scraped(url: str, jobs: list[str], alerts_expected: bool) -> bool:
    resp = requests.get(f"{url}/api/v1/query", params={"query": "count_over_time(up[1m])"}, timeout=5).json()
    counts = {r["metric"]["job"]: float(r["value"][1]) for r in resp["data"]["result"]}
    if not (set(jobs) <= set(counts) and min(counts.values()) >= MIN_SCRAPES):
        return False
    if not alerts_expected:
        return True
    alerts = requests.get(f"{url}/api/v1/query", params={"query": "ALERTS_FOR_STATE"}, timeout=5).json()
    return bool(alerts["data"]["result"])


def prometheus_config(demo: DemoServer, node_port: int, prom_port: int, rules: list[Path]) -> dict:
    jobs = scrape_configs(demo.jobs, demo.address)
    jobs.append({"job_name": DEFAULT.node.job, "static_configs": [{"targets": [f"127.0.0.1:{node_port}"]}]})
    jobs.append({"job_name": DEFAULT.prometheus.job, "static_configs": [{"targets": [f"127.0.0.1:{prom_port}"]}]})
    return {
        "global": {"scrape_interval": SCRAPE_INTERVAL, "evaluation_interval": SCRAPE_INTERVAL},
        "rule_files": [str(r) for r in rules],
        "scrape_configs": jobs,
    }


@contextlib.contextmanager
def live_stack(tmp: Path, extra_rules: list[Path] = (), always_firing: bool = True):
    """Demo exporter + node-exporter + Prometheus; yields a Stack once every job has been scraped.

    ``always_firing=False`` leaves out the test-only alert: a quiet Prometheus, like a healthy staging."""
    bins = binaries()
    rule_files = list(extra_rules)
    if always_firing:
        rules = tmp / "always_firing.yml"
        rules.write_text(yaml.safe_dump(ALWAYS_FIRING))
        rule_files.insert(0, rules)
    demo = DemoServer(DEFAULT, "127.0.0.1", 0).start()
    try:
        node_port, prom_port = free_ports(2)
        config = tmp / "prometheus.yml"
        cfg = prometheus_config(demo, node_port, prom_port, rule_files)
        config.write_text(yaml.safe_dump(cfg))
        url = f"http://127.0.0.1:{prom_port}"
        node_cmd = [bins["node-exporter"], f"--web.listen-address=127.0.0.1:{node_port}"]
        prom_cmd = [
            bins["prometheus"],
            f"--config.file={config}",
            f"--storage.tsdb.path={tmp / 'data'}",
            f"--web.listen-address=127.0.0.1:{prom_port}",
            "--log.level=warn",
            # As in monitoring/docker-compose.yml: keep the demo's OpenMetrics exemplars.
            "--enable-feature=exemplar-storage",
        ]
        with running(node_cmd, tmp / "node.log"), running(prom_cmd, tmp / "prometheus.log"):
            jobs = [j["job_name"] for j in cfg["scrape_configs"]]
            wait_for(
                lambda: _scraped(url, jobs, always_firing),
                f"{MIN_SCRAPES} scrapes of {len(jobs)} jobs",
                tmp / "prometheus.log",
            )
            yield Stack(url, rule_files, jobs)
    finally:
        demo.stop()
