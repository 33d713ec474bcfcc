"""Benchmark: semantic diff of 1,000 dashboards x 20 panels with 5% of panels changed.

Goals: in memory under 2 s on the 2-core machine (issue 4); from disk, load + diff
<= 2x a plain ``json.load`` of both sides, the floor any diff pays (issue 19). Times
are this process's CPU time: on a shared 2-core machine wall time also counts the
neighbours' work.

``run(n, quick)``: ``n`` dashboards per side, medians of 3 samples (1 when quick).
"""

from __future__ import annotations

import copy
import gc
import json
import random
import tempfile
import time
from pathlib import Path

from azora_dash.build.project import render
from azora_dash.config import DEFAULT
from azora_dash.diff.core import diff, load_dashboards

from .harness import Figure, median_time

PANELS = 20
CHANGED = 0.05
GOAL_S = 2.0
RATIO_GOAL = 2.0  # load + diff from disk / json.load of both sides


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
            panel.update(
                id=i + 1,
                title=f"{panel['title']} #{i}",
                gridPos={"h": 8, "w": 12, "x": 12 * (i % 2), "y": 8 * (i // 2)},
            )
            panels.append(panel)
        old[f"bench-{d:04d}"] = {
            "uid": f"bench-{d:04d}",
            "title": f"Bench {d}",
            "version": 1,
            "panels": panels,
            "templating": {"list": []},
        }
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


def run(n: int = 1000, quick: bool = False) -> list[Figure]:
    """``n`` dashboards on each side (the harness's scale); median of 3 samples (1 when quick)."""
    k = 1 if quick else 3
    old, new = make_sides(n)
    in_memory = median_time(lambda: diff(old, new), k, time.process_time)  # noqa: F821 - deleted below, after timing
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

        load = median_time(plain_load, k, time.process_time)
        end_to_end = median_time(lambda: diff(load_dashboards(a), load_dashboards(b)), k, time.process_time)
    label = f"{n}x{PANELS} panels, {CHANGED:.0%} changed"
    baseline = "json.load of both sides"
    return [
        Figure(f"diff/in memory ({label})", in_memory, "s CPU", baseline, load, f"< {GOAL_S} s", in_memory < GOAL_S),
        Figure(
            f"diff/from disk, load + diff ({label})",
            end_to_end,
            "s CPU",
            baseline,
            load,
            f"ratio <= {RATIO_GOAL}",
            end_to_end <= RATIO_GOAL * load,
        ),
    ]


if __name__ == "__main__":
    for fig in run():
        print(fig)
