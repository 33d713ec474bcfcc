"""Benchmark ``azora-dash import``: time to import a large hand-drawn dashboard.

Baseline is normalising the same dashboard once (the floor any import pays);
the import also builds, normalises and checks every panel, then compiles the
whole module once more to prove it round-trips.

    python -m bench.bench_import        # standalone; `make bench` runs it via bench/run.py
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from azora_dash.config import DEFAULT
from azora_dash.importer import import_dashboard, normalised

from .harness import Figure, median_time

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "import" / "redis_postgres.json"
GOAL_SECONDS = 2.0  # a 200-panel import must feel instant next to editing the result


def big_dashboard(panels: int) -> dict:
    """The fixture's panels repeated on a two-column grid until there are ``panels`` of them."""
    data = json.loads(FIXTURE.read_text())
    base = [p for p in data["panels"] if p.get("type") != "row"]
    data["panels"] = []
    for i in range(panels):
        panel = copy.deepcopy(base[i % len(base)])
        panel["id"], panel["gridPos"] = 1000 + i, {"h": 8, "w": 12, "x": 12 * (i % 2), "y": 8 * (i // 2)}
        data["panels"].append(panel)
    return data


def run(n: int, quick: bool) -> list:
    data = big_dashboard(50 if quick else 200)
    panels = len(data["panels"])
    repeats = 1 if quick else max(3, min(n, 5))
    spent = median_time(lambda: import_dashboard(data, DEFAULT, "bench.json"), repeats)
    floor = median_time(lambda: normalised(data, DEFAULT), repeats)
    goal = GOAL_SECONDS * panels / 200
    return [
        Figure(
            f"import/{panels}-panel dashboard",
            spent,
            "s",
            "normalising it once",
            floor,
            f"<= {goal:g} s",
            None if quick else spent <= goal,
        )
    ]


if __name__ == "__main__":
    for figure in run(3, quick=False):
        print(figure)
