"""Benchmark ``azora-dash import``: time to import a large hand-drawn dashboard, and its memory.

Baseline is normalising the same dashboard once (the floor any import pays);
the import also builds, normalises and checks every panel, then compiles the
whole module once more to prove it round-trips. Issue 17's goals: a 258-panel
dashboard under 2 s; memory within 10x the file's size (files over
``importer.MAX_IMPORT_BYTES`` are refused instead), against parsing the JSON
alone as the floor.

    python -m bench.bench_import        # standalone; `make bench` runs it via bench/run.py
"""

from __future__ import annotations

import copy
import json
import tracemalloc
from pathlib import Path

from azora_dash.config import DEFAULT
from azora_dash.importer import import_dashboard, normalised

from .harness import Figure, median_time

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "import"
FIXTURE = FIXTURES / "redis_postgres.json"
NODE_EXPORTER = FIXTURES / "node_exporter_full.json"  # gauge, bargauge, stat, timeseries, collapsed rows
GOAL_SECONDS = 2.0  # a 200-panel import must feel instant next to editing the result


def big_dashboard(panels: int, fixture: Path = FIXTURE) -> dict:
    """The fixture's panels repeated on a two-column grid until there are ``panels`` of them."""
    data = json.loads(fixture.read_text())
    base = [p for p in data["panels"] if p.get("type") != "row"]
    data["panels"] = []
    for i in range(panels):
        panel = copy.deepcopy(base[i % len(base)])
        panel["id"], panel["gridPos"] = 1000 + i, {"h": 8, "w": 12, "x": 12 * (i % 2), "y": 8 * (i // 2)}
        data["panels"].append(panel)
    return data


def _peak(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def memory(data: dict) -> Figure:
    """Peak memory of an import per byte of its file, next to parsing the file alone."""
    text = json.dumps(data, indent=2)
    import_dashboard(json.loads(text), DEFAULT, "warm.json")  # imports and the query catalogue's cache
    spent = _peak(lambda: import_dashboard(json.loads(text), DEFAULT, "bench.json")) / len(text)
    floor = _peak(lambda: json.loads(text)) / len(text)
    return Figure(
        f"import/peak memory, {len(data['panels'])}-panel {len(text) // 1024} KB file",
        spent,
        "x file size",
        "parsing the JSON alone",
        floor,
        "<= 10 x (over 5 MB: refused)",
        spent <= 10,
    )


def node_exporter(repeats: int) -> Figure:
    data = big_dashboard(258, NODE_EXPORTER)
    spent = median_time(lambda: import_dashboard(data, DEFAULT, "bench.json"), repeats)
    floor = median_time(lambda: normalised(data, DEFAULT), repeats)
    size = len(json.dumps(data, indent=2)) // 1024
    return Figure(
        f"import/258-panel {size} KB Node Exporter shape",
        spent,
        "s",
        "normalising it once",
        floor,
        "<= 2 s",
        spent <= 2,
    )


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
        ),
        *([] if quick else [node_exporter(repeats), memory(big_dashboard(258, NODE_EXPORTER))]),
    ]


if __name__ == "__main__":
    for figure in run(3, quick=False):
        print(figure)
