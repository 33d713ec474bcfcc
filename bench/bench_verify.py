"""Benchmarks for ``azora-dash verify`` and the demo exporter.

``run(n, quick)`` returns figures as plain dicts ({"name", "value", "unit",
"baseline", "ratio", "goal"}) until the bench harness's Figure type lands on main.
verify runs against a real Prometheus (Debian package) scraping the demo exporter
and node-exporter, started and stopped by tests/live_prometheus.py.
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from azora_dash.config import DEFAULT
from azora_dash.demo import make_jobs
from azora_dash.prometheus_api import PrometheusClient
from azora_dash.verify import collect, make_window, run_all

REPO = Path(__file__).resolve().parent.parent
DASHBOARDS = REPO / "provisioning" / "dashboards" / "azora"


def _median(fn, k: int) -> float:
    times = []
    for _ in range(k):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _figure(name, value, unit, goal, baseline=None):
    return {"name": name, "value": round(value, 4), "unit": unit, "baseline": baseline,
            "ratio": None if not baseline else round(value / baseline, 3), "goal": goal}


def bench_demo(k: int) -> list[dict]:
    jobs = make_jobs(DEFAULT)
    clock = iter(range(1_800_000_000, 1_900_000_000, 15))  # one scrape interval of traffic per scrape
    seconds = _median(lambda: [job.scrape(float(next(clock))) for job in jobs.values()], k)
    return [_figure("demo: scrape all 12 jobs (15 s of traffic)", seconds * 1000, "ms", "< 250 ms (most of it is prometheus_client exposition; scrape timeout is 10 s)")]


def bench_verify(k: int) -> list[dict]:
    from tests.live_prometheus import binaries, live_stack

    if not all(binaries().values()):
        return []
    with tempfile.TemporaryDirectory() as tmp, live_stack(Path(tmp)) as stack:
        targets = collect([DASHBOARDS], stack.rules)
        client = PrometheusClient(stack.url)
        seconds = _median(lambda: run_all(client, targets, make_window("5m", "1s")), k)
    return [_figure(f"verify: {len(targets)} targets of 4 dashboards + rules", seconds, "s", "< 10 s on local Prometheus"),
            _figure("verify: per target", seconds / len(targets) * 1000, "ms", "< 50 ms")]


def run(n: int = 5, quick: bool = False) -> list[dict]:
    k = 3 if quick else n
    return bench_demo(k) + bench_verify(k)


if __name__ == "__main__":
    for fig in run():
        print(fig)
