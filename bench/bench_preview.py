"""Preview benchmarks (issue 10): drawing N dashboards vs building them.

The goal is relative: ``azora-dash preview`` of N built dashboards must stay
well under twice ``azora-dash build`` of the same N, per dashboard. Both are
timed as the CLI a user runs (one process each, start-up included), side by
side in the same rounds; the in-process figure shows the drawing alone.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from . import synthetic
from .harness import Command, Figure, measure, median_time, run_cmd, tool

RATIO_GOAL = 1.0  # preview / build per dashboard; the hard limit is 2.0, "well under" it


def _build(dashboards: Path, out: Path) -> Command:
    argv = (tool("azora-dash"), "build", "--dashboards", str(dashboards), "--out", str(out), "--format", "json")
    return Command(argv, setup=lambda: shutil.rmtree(out, ignore_errors=True))


def _preview(built: Path, out: Path) -> Command:
    argv = (tool("azora-dash"), "preview", "--out", str(out), "--format", "json", str(built))
    return Command(argv, setup=lambda: shutil.rmtree(out, ignore_errors=True))


def _in_process(built: Path, n: int, k: int) -> Figure:
    from azora_dash.diff.core import load_dashboards
    from azora_dash.preview.site import render_site

    dashboards = load_dashboards([built])
    seconds = median_time(lambda: render_site(dashboards), k)
    return Figure(
        f"preview/render_site in process: {n} dashboards",
        seconds / n * 1000,
        "ms/dashboard",
        goal="reported (drawing only, no I/O or start-up)",
    )


def run(n: int, quick: bool) -> list[Figure]:
    k = 1 if quick else 5
    with tempfile.TemporaryDirectory(prefix="azora-bench-preview-") as tmp:
        work = Path(tmp)
        synthetic.write(n, work / "ours", work / "grafanalib")
        run_cmd(_build(work / "ours", work / "built"))  # untimed: the preview's input
        built = work / "built" / "dashboards" / "azora"
        build, preview = measure(
            [_build(work / "ours", work / "out"), _preview(built, work / "preview")], k, warmup=not quick
        )
        drawn = len(json.loads(preview.stdout)["written"]) - 1  # minus index.html
        per, base = preview.seconds / n * 1000, build.seconds / n * 1000
        return [
            Figure(
                f"preview/scale: {n} dashboards",
                per,
                "ms/dashboard",
                "azora-dash build",
                base,
                f"ratio <= {RATIO_GOAL} (limit 2)",
                per / base <= RATIO_GOAL and drawn == n,
            ),
            Figure(
                f"preview/peak memory: {n} dashboards",
                preview.maxrss_kib / 1024,
                "MiB",
                "azora-dash build",
                build.maxrss_kib / 1024,
                "reported (ru_maxrss)",
            ),
            _in_process(built, n, k),
        ]
