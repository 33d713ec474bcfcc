"""Push benchmark (issue 3): parallel push vs the ideal, and a no-change re-push.

The stand-in Grafana (tests/fakes/grafana_stub.py, a ThreadingHTTPServer) adds 50 ms
to every request. With ``--concurrency 8`` the best any client can do is
``requests / 8 * 50 ms``; the figure is our wall time over that ideal (goal
<= 1.3). Dashboards are the real built ones, cloned under new uids/titles so
sizes are realistic. A second push of the same dashboards must write nothing.

The re-push of unchanged dashboards is measured on both API paths side by side: the
stand-in as Grafana 11.2 (``/api``: a GET per dashboard) and as 12.2 (the resource
API: one LIST of the namespace plans them all, no per-dashboard GET).

    python -m bench.bench_push          # standalone; `make bench` runs it via bench/run.py
"""

from __future__ import annotations

import copy
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # standalone runs import tests.fakes.grafana_stub from the repo
    sys.path.insert(0, str(REPO))

from .harness import Figure

LATENCY = 0.050
CONCURRENCY = 8
RATIO_GOAL = 1.3
FULL_N = 500


def dashboards(n: int) -> dict[str, dict]:
    from azora_dash.build.project import render
    from azora_dash.config import DEFAULT

    built = [c.dashboard for c in render(DEFAULT, REPO / "dashboards")[0]]
    out = {}
    for i in range(n):
        dash = copy.deepcopy(built[i % len(built)])
        dash["uid"], dash["title"] = f"bench-{i:04d}", f"{dash['title']} #{i}"
        out[dash["uid"]] = dash
    return out


def push_once(url: str, local: dict[str, dict]):
    from azora_dash.grafana.client import Auth, GrafanaClient
    from azora_dash.grafana.push import apply_plan, plan_push

    client = GrafanaClient(url, Auth(token="bench"), pool=CONCURRENCY)
    try:
        plan = plan_push(client, local, "Bench", "bench", "managed-by-azora-dash", concurrency=CONCURRENCY)
        outcome = apply_plan(client, plan, commit="bench", concurrency=CONCURRENCY)
    finally:
        client.close()
    if outcome.error or outcome.refused:
        raise RuntimeError(f"bench push failed: {outcome.error or 'refused'}")


@contextmanager
def stand_in(version: str = "11.2"):
    """The stand-in Grafana in its own process, as a real Grafana would be: its CPU is not ours."""
    args = ["--token", "bench", "--latency", str(LATENCY), "--version", version]
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.grafana_stub", *args],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        yield proc.stdout.readline().strip()
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def counts(url: str) -> dict:
    import requests

    return requests.get(f"{url}/__stub__/counts", timeout=10).json()


def _timed_push(local: dict[str, dict]) -> tuple[float, int]:
    """One cold push into a fresh stand-in: (seconds, requests)."""
    with stand_in() as url:
        started = time.perf_counter()
        push_once(url, local)
        seconds = time.perf_counter() - started
        return seconds, counts(url)["requests"]


def _repush(local: dict[str, dict], version: str = "11.2") -> tuple[float, int, int]:
    """A second push of the same dashboards: (seconds, write calls, requests)."""
    with stand_in(version) as url:
        push_once(url, local)
        before = counts(url)
        started = time.perf_counter()
        push_once(url, local)
        seconds = time.perf_counter() - started
        after = counts(url)
        # counts() itself is one request, logged before it answers
        return seconds, after["writes"] - before["writes"], after["requests"] - before["requests"] - 1


def run(n: int, quick: bool) -> list:
    count = max(16, min(n, 50)) if quick else FULL_N
    local = dashboards(count)
    samples = [_timed_push(local) for _ in range(1 if quick else 3)]
    seconds = statistics.median(s[0] for s in samples)
    requests = samples[0][1]
    ideal = requests / CONCURRENCY * LATENCY
    repush_seconds, repush_writes, api_requests = _repush(local, "11.2")
    apis_seconds, apis_writes, apis_requests = _repush(local, "12.2")
    return [
        Figure(
            f"push/{count} dashboards, concurrency {CONCURRENCY}, 50 ms latency",
            seconds,
            "s",
            f"ideal ({requests} requests / {CONCURRENCY} x 50 ms)",
            ideal,
            f"ratio <= {RATIO_GOAL}",
            None if quick else seconds / ideal <= RATIO_GOAL,
        ),  # the goal is set at 500, not smoke-test N
        Figure(
            f"push/re-push {count} unchanged: write calls", repush_writes, "writes", goal="0", ok=repush_writes == 0
        ),
        Figure(f"push/re-push {count} unchanged: time", repush_seconds, "s", "first push", seconds, "reported"),
        Figure(
            f"push/re-push {count} unchanged, resource API (12.2): requests",
            apis_requests,
            "requests",
            "/api (11.2)",
            api_requests,
            "no per-dashboard GET",
            apis_requests < count and apis_writes == 0,
        ),
        Figure(
            f"push/re-push {count} unchanged, resource API (12.2): time",
            apis_seconds,
            "s",
            "/api (11.2)",
            repush_seconds,
            "reported",
        ),
    ]


if __name__ == "__main__":
    for figure in run(FULL_N, "--quick" in sys.argv):
        print(figure)
