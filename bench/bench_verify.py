"""Benchmarks for ``azora-dash verify`` and the demo exporter (issue 7).

verify runs against a real Prometheus (Debian package) scraping the demo exporter
and node-exporter, started and stopped by tests/verify/live_prometheus.py. Figures are
medians of k runs.

    python -m bench.bench_verify        # standalone; `make bench` runs it via bench/run.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script, it still imports tests.verify.live_prometheus
    sys.path.insert(0, str(REPO))

from azora_dash.config import DEFAULT
from azora_dash.dashboard_file import load_paths
from azora_dash.demo.server import make_jobs
from azora_dash.verify.core import DEFAULT_RULES, collect, make_window, run_all
from azora_dash.verify.prometheus import PrometheusClient
from bench.harness import Figure, median_time

DASHBOARDS = REPO / "provisioning" / "dashboards" / "azora"


def bench_demo(k: int) -> list:
    jobs = make_jobs(DEFAULT)
    clock = iter(range(1_800_000_000, 1_900_000_000, 15))  # one scrape interval of traffic per scrape
    seconds = median_time(lambda: [job.scrape(float(next(clock))) for job in jobs.values()], k)
    ms = seconds * 1000
    # Most of it is prometheus_client's text exposition; Prometheus's scrape timeout is 10 s.
    return [Figure(name="demo/scrape all 12 jobs (15 s of traffic)", value=ms, unit="ms", goal="< 250 ms", ok=ms < 250)]


def bench_verify(k: int) -> list:
    from tests.verify.live_prometheus import binaries, live_stack  # the same real stack the e2e test runs

    if not all(binaries().values()):
        return []
    generated = [REPO / DEFAULT_RULES] if (REPO / DEFAULT_RULES).exists() else []
    with tempfile.TemporaryDirectory() as tmp, live_stack(Path(tmp), generated) as stack:
        targets = collect(load_paths([DASHBOARDS]), stack.rules)
        client = PrometheusClient(stack.url)
        seconds = median_time(lambda: run_all(client, targets, make_window("5m", "2s")), k)
    per_target = seconds / len(targets) * 1000
    return [
        Figure(
            name=f"verify/{len(targets)} targets of 4 dashboards + rules, local Prometheus",
            value=seconds,
            unit="s",
            goal="< 10 s",
            ok=seconds < 10,
        ),
        Figure(name="verify/per target", value=per_target, unit="ms", goal="< 50 ms", ok=per_target < 50),
    ]


def run(n: int = 1000, quick: bool = False) -> list:
    """The stack is the real one (4 dashboards + rules), so ``n`` does not apply; medians of 5 runs."""
    k = 1 if quick else 5
    return bench_demo(k) + bench_verify(k)


if __name__ == "__main__":
    for fig in run():
        print(fig)
