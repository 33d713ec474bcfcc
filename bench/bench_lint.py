"""Benchmark (issue 5): lint N dashboards x 20 panels, beside the time to merely load them.

Goal (issue 19): lint <= 8x a plain ``json.load`` of the same files at N = 1,000
(each target's PromQL is parsed once, not once per rule; azora_dash/lint/query.py
keeps one parse cheap).

The dashboards are real house-style panels from this repo's four dashboards,
20 per dashboard, written as JSON files (untimed). Every selector gets a
per-dashboard ``job!="bench-<i>"`` matcher (a no-op filter on a label every
scraped series has), so no two dashboards share a query text and the parse
cache cannot carry work across dashboards; it is also emptied before every run.
(They still share query *shapes*: query.py parses a shape once, with its strings masked,
as it does for a real estate's per-service or per-environment copies of a dashboard.)

* json.load: the floor, ``json.load`` of every file;
* load: ``lint.load_paths`` (read every file into the dashboard model);
* lint: the same load, then every registered rule.

Times are this process's CPU time, median of k runs: both sides run in one
process, and on a shared 2-core machine wall time would also count the
neighbours' work. Figures are the harness's ``Figure``.
"""

from __future__ import annotations

import copy
import json
import re
import tempfile
import time
from pathlib import Path

from azora_dash.build.project import render
from azora_dash.config import DEFAULT
from azora_dash.jsonio import dumps

from .harness import Figure, median_times

PANELS = 20
GOAL = 8.0
_SELECTOR_OPEN = re.compile(r"\{(?!\{)")


def _pool() -> list[dict]:
    compiled, _ = render(DEFAULT, Path(__file__).resolve().parent.parent / "dashboards")
    return [c.dashboard for c in compiled]


def _bare_metric() -> re.Pattern:
    """A catalogue metric written without braces (``up``), so it can get a matcher too."""
    from azora_dash.lint.catalogue import load

    names = sorted(load().series, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b(?![\w{(])")


def _unique(expr: str, i: int, bare: re.Pattern) -> str:
    expr = _SELECTOR_OPEN.sub(f'{{job!="bench-{i}", ', expr)
    return bare.sub(lambda m: f'{m.group(1)}{{job!="bench-{i}"}}', expr)


def dashboard(i: int, pool: list[dict], bare: re.Pattern) -> dict:
    """Dashboard ``i``: 20 of the pool's panels and every variable they use."""
    base = copy.deepcopy(pool[i % len(pool)])
    variables = {v["name"]: v for d in pool for v in d["templating"]["list"]}
    base["templating"] = {"list": list(variables.values())}
    panels = [p for d in pool for p in d["panels"] if p.get("type") != "row"]
    chosen = []
    for k in range(PANELS):
        panel = copy.deepcopy(panels[(i + k) % len(panels)])
        panel.update(id=k + 1, gridPos={"h": 8, "w": 12, "x": 12 * (k % 2), "y": 8 * (k // 2)})
        for target in panel.get("targets", []):
            target["expr"] = _unique(target["expr"], i, bare)
        chosen.append(panel)
    return {**base, "uid": f"bench-{i:04d}", "title": f"Bench {i}", "panels": chosen}


def write(n: int, directory: Path) -> Path:
    pool, bare = _pool(), _bare_metric()
    for i in range(n):
        (directory / f"bench-{i:04d}.json").write_text(dumps(dashboard(i, pool, bare)), encoding="utf-8")
    return directory


def run(n: int = 1000, quick: bool = False) -> list[dict]:
    from azora_dash.lint import load_paths, query
    from azora_dash.lint import run as lint

    k = 1 if quick else 5
    with tempfile.TemporaryDirectory(prefix="bench-lint-") as tmp:
        directory = write(n, Path(tmp))

        def lint_all():
            query.clear_caches()
            return lint(load_paths([directory]))

        def plain_load():
            for file in sorted(directory.glob("*.json")):
                with open(file, encoding="utf-8") as fh:
                    json.load(fh)

        result = lint_all()  # also warms imports and the page cache for every side
        # Side by side, round by round: a busy spell on the shared machine hits all three alike.
        floor, load_s, lint_s = median_times(
            [plain_load, lambda: load_paths([directory]), lint_all], k, time.process_time
        )
    ratio = lint_s / floor if floor else None
    return [
        Figure(f"lint/load: {n} dashboards x {PANELS} panels", load_s, "s CPU", "json.load", floor, "reported"),
        Figure(
            name=f"lint/lint: {n} dashboards ({result.dashboards} linted, {len(result.problems)} problems)",
            value=lint_s,
            unit="s CPU",
            baseline_name="json.load of the same files",
            baseline=floor,
            goal=f"ratio <= {GOAL:g}",
            ok=ratio is not None and ratio <= GOAL,
        ),
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure)
