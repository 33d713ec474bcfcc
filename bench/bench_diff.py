"""Benchmark: semantic diff of 1,000 dashboards x 20 panels with 5% of panels changed.

Goal (issue 4): under 2 s on the 2-core machine. Reported next to the time a plain
``json.load`` of both sides takes, since loading is the floor any diff pays.

``run(n, quick)`` takes the best of ``n`` repeats; ``quick`` uses 100 dashboards.
Returns figures as dicts {name, value, unit, baseline, ratio, goal, ok} for bench/run.py.
"""
from __future__ import annotations

import copy
import gc
import json
import random
import tempfile
import time
from pathlib import Path

from azora_dash.build import render
from azora_dash.config import DEFAULT
from azora_dash.diff import diff, load_dashboards

PANELS = 20
CHANGED = 0.05
GOAL_S = 2.0


def _panel_pool() -> list[dict]:
    """Real, house-style panels from this repo's dashboards, rows excluded."""
    compiled, _ = render(DEFAULT, Path(__file__).resolve().parent.parent / "dashboards")
    return [p for c in compiled for p in c.dashboard["panels"] if p.get("type") != "row"]


def make_sides(dashboards: int, seed: int = 4) -> tuple[dict[str, dict], dict[str, dict]]:
    """Two ``{uid: dashboard}`` maps; ``CHANGED`` of the new side's panels differ from the old."""
    rng = random.Random(seed)
    pool = _panel_pool()
    old: dict[str, dict] = {}
    for d in range(dashboards):
        panels = []
        for i in range(PANELS):
            panel = copy.deepcopy(pool[(d + i) % len(pool)])
            panel.update(id=i + 1, title=f"{panel['title']} #{i}", gridPos={"h": 8, "w": 12, "x": 12 * (i % 2), "y": 8 * (i // 2)})
            panels.append(panel)
        old[f"bench-{d:04d}"] = {"uid": f"bench-{d:04d}", "title": f"Bench {d}", "version": 1, "panels": panels,
                                 "templating": {"list": []}}
    new = copy.deepcopy(old)
    flat = [p for dash in new.values() for p in dash["panels"]]
    for panel in rng.sample(flat, int(len(flat) * CHANGED)):
        choice = rng.randrange(3)
        if choice == 0 and panel.get("targets"):
            panel["targets"][0]["expr"] = f"sum({panel['targets'][0]['expr']})"
        elif choice == 1:
            panel["gridPos"] = {**panel["gridPos"], "y": panel["gridPos"]["y"] + 100}
        else:
            panel["description"] = panel.get("description", "") + " (edited)"
    return old, new


def _write(side: dict[str, dict], root: Path) -> None:
    root.mkdir()
    for uid, dashboard in side.items():
        (root / f"{uid}.json").write_text(json.dumps(dashboard, indent=2, sort_keys=True))


def _best(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def run(n: int = 3, quick: bool = False) -> list[dict]:
    dashboards = 100 if quick else 1000
    old, new = make_sides(dashboards)
    in_memory = _best(lambda: diff(old, new), n)
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "old", Path(tmp) / "new"
        _write(old, a)
        _write(new, b)
        # Drop the in-memory sides so they do not slow the disk timings through the GC.
        del old, new
        gc.collect()

        def plain_load():
            for side in (a, b):
                for file in sorted(side.glob("*.json")):
                    with open(file, encoding="utf-8") as fh:
                        json.load(fh)

        load = _best(plain_load, n)
        end_to_end = _best(lambda: diff(load_dashboards(a), load_dashboards(b)), n)
    label = f"{dashboards}x{PANELS} panels, {CHANGED:.0%} changed"
    return [
        {"name": f"diff in memory ({label})", "value": in_memory, "unit": "s", "baseline": load,
         "ratio": in_memory / load, "goal": GOAL_S, "ok": in_memory < GOAL_S},
        {"name": f"diff from disk, load + diff ({label})", "value": end_to_end, "unit": "s", "baseline": load,
         "ratio": end_to_end / load, "goal": GOAL_S, "ok": end_to_end < GOAL_S},
    ]


if __name__ == "__main__":
    for fig in run():
        print(f"{fig['name']}: {fig['value']:.3f} {fig['unit']} (json.load of both sides {fig['baseline']:.3f} s, "
              f"ratio {fig['ratio']:.2f}x, goal < {fig['goal']} s)")
