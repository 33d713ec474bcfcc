"""Lint benchmark (issue 5): lint N synthetic dashboards vs merely loading them.

The dashboards are the harness's synthetic ones (``synthetic.py``: 20 panels,
26 targets, queries that differ per dashboard), compiled once to JSON files
(untimed). Both figures are measured in one process, side by side:

* load: ``lint.load_paths`` (read and ``json.load`` every file);
* lint: load plus every registered rule, with the PromQL parse cache emptied
  before each run so nothing carries over between runs.

Times are this process's CPU time (median of k): both sides run in one
process, and on a shared 2-core machine wall time would also count the
neighbours' work.

Goal: lint <= 10x load at the largest N (each target is parsed once, not once
per rule; see azora_dash/lint/query.py for what keeps one parse cheap).
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from . import synthetic
from .harness import Figure

GOAL = 10.0


def _write_json(n: int, work: Path) -> Path:
    """Compile ``n`` synthetic dashboard modules and write their JSON, as ``azora-dash build`` would."""
    from azora_dash.compile import compile_module
    from azora_dash.config import DEFAULT
    from azora_dash.jsonio import dumps

    modules, out = work / "modules", work / "json"
    modules.mkdir()
    out.mkdir()
    for i in range(n):
        path = modules / f"bench_{i:04d}.py"
        path.write_text(synthetic.ours_source(i), encoding="utf-8")
        compiled = compile_module(path, DEFAULT)
        (out / f"{compiled.uid}.json").write_text(dumps(compiled.dashboard), encoding="utf-8")
    return out


def _median_cpu(fn, k: int) -> float:
    samples = []
    for _ in range(k):
        start = time.process_time()
        fn()
        samples.append(time.process_time() - start)
    return statistics.median(samples)


def run(n: int, quick: bool) -> list[Figure]:
    from azora_dash.lint import load_paths, query, run as lint

    k = 1 if quick else 5
    with tempfile.TemporaryDirectory(prefix="bench-lint-") as tmp:
        directory = _write_json(n, Path(tmp))
        panels = sum(len(d.get("panels", [])) for _, d in load_paths([directory]))

        def lint_all():
            query.parse.cache_clear()
            return lint(load_paths([directory]))

        result = lint_all()
        if not quick:  # warm the page cache and imports for both sides
            load_paths([directory])
        load_s = _median_cpu(lambda: load_paths([directory]), k)
        lint_s = _median_cpu(lint_all, k)
    return [
        Figure(f"lint/load: {n} dashboards x {panels // max(n, 1)} panels", load_s, "s CPU", goal="reported"),
        Figure(f"lint/lint: {n} dashboards ({len(result.problems)} problems)", lint_s, "s CPU", "load", load_s,
               f"ratio <= {GOAL:g}", lint_s / load_s <= GOAL),
    ]
