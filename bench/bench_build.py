"""Build benchmarks (issue 8): scale against grafanalib, start-up floor, no-change rebuild, peak memory.

``azora-dash build`` compiles every dashboard in one process; grafanalib's own
``generate-dashboards`` gets the same dashboards (see ``synthetic.py``) in one
invocation too, so both pay start-up once and the ratio compares per-dashboard work.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from . import synthetic
from .harness import REPO, Command, Figure, measure, tool

GRAFANALIB = "grafanalib generate-dashboards"
SCALE_GOAL = 1.0  # our time per dashboard / grafanalib's, at the largest N
LINEAR_GOAL = 1.5  # per-dashboard time at N / at N/10
STARTUP_GOAL = 1.5  # `azora-dash build` of the real dashboards / `import grafanalib.core`
REBUILD_GOAL = 0.25


def sizes(n: int) -> list[int]:
    """N/100, N/10 and N (10, 100, 1,000 for the full run), without repeats."""
    return sorted({max(1, n // 100), max(1, n // 10), n})


def _ours(dashboards: Path, out: Path, fresh: bool) -> Command:
    argv = (tool("azora-dash"), "build", "--dashboards", str(dashboards), "--out", str(out), "--format", "json")
    return Command(argv, setup=(lambda: shutil.rmtree(out, ignore_errors=True)) if fresh else None)


def _scale(work: Path, n: int, k: int, largest: bool, quick: bool) -> tuple[list[Figure], float]:
    """Fresh builds of ``n`` dashboards by both tools; at the largest N also a rebuild, and memory.

    The rebuild runs right after each fresh build, in the same rounds, so that
    both see the same load on a shared machine.
    """
    ours_dir, theirs_dir, out = work / "ours", work / "grafanalib", work / "out"
    paths = synthetic.write(n, ours_dir, theirs_dir)
    theirs = Command((tool("generate-dashboards"), *map(str, paths)), cwd=theirs_dir)
    commands = [_ours(ours_dir, out, fresh=True), theirs] + ([_ours(ours_dir, out, fresh=False)] if largest else [])
    first, base, *again = measure(commands, k, warmup=not quick)
    per, base_per = first.seconds / n * 1000, base.seconds / n * 1000
    figures = [
        Figure(
            f"build/scale: {n} dashboards",
            per,
            "ms/dashboard",
            GRAFANALIB,
            base_per,
            f"ratio <= {SCALE_GOAL} at the largest N",
            per / base_per <= SCALE_GOAL if largest else None,
        )
    ]
    if largest:
        written = len(json.loads(again[0].stdout)["written"])
        figures += [
            Figure(
                f"build/no-change rebuild: {n} dashboards",
                again[0].seconds,
                "s",
                "first build",
                first.seconds,
                f"ratio <= {REBUILD_GOAL} (inputs unchanged: compiles and writes nothing)",
                again[0].seconds <= REBUILD_GOAL * first.seconds,
            ),
            Figure("build/no-change rebuild: files written", written, "files", goal="0", ok=written == 0),
            Figure(
                f"build/peak memory: {n} dashboards",
                first.maxrss_kib / 1024,
                "MiB",
                GRAFANALIB,
                base.maxrss_kib / 1024,
                "reported (ru_maxrss)",
            ),
            _validate(out, n, k, quick),
        ]
    return figures, per


def _validate(out: Path, n: int, k: int, quick: bool) -> Figure:
    """`make dashboards` validates what it built; grafanalib has nothing to compare with."""
    argv = (tool("azora-dash"), "validate", str(out / "dashboards" / "azora"), "--format", "json")
    (checked,) = measure([Command(argv)], k, warmup=not quick)
    return Figure(f"validate: {n} dashboards", checked.seconds / n * 1000, "ms/dashboard", goal="reported")


def _startup(work: Path, k: int, quick: bool) -> Figure:
    """The floor: build the four real dashboards vs merely importing grafanalib."""
    # fresh: an unchanged rebuild would be answered from the build cache, which is not start-up.
    ours = _ours(REPO / "dashboards", work / "startup-out", fresh=True)
    floor = Command((sys.executable, "-c", "import grafanalib.core"))
    a, b = measure([ours, floor], k, warmup=not quick)
    return Figure(
        "build/start-up: 4 real dashboards",
        a.seconds * 1000,
        "ms",
        "python -c 'import grafanalib.core'",
        b.seconds * 1000,
        f"ratio <= {STARTUP_GOAL}",
        a.seconds / b.seconds <= STARTUP_GOAL,
    )


def run(n: int, quick: bool) -> list[Figure]:
    k = 1 if quick else 5
    scale, extra, per_dashboard = [], [], {}
    with tempfile.TemporaryDirectory(prefix="azora-bench-") as tmp:
        for size in sizes(n):
            found, per_dashboard[size] = _scale(Path(tmp) / str(size), size, k, size == n, quick)
            scale.append(found[0])
            extra += found[1:]
        extra.append(_startup(Path(tmp), 1 if quick else 11, quick))
    smaller = sizes(n)[-2] if len(sizes(n)) > 1 else n
    growth = per_dashboard[n] / per_dashboard[smaller]
    scale.append(
        Figure(
            f"build/linear growth: per dashboard at {n} vs {smaller}",
            growth,
            "x",
            goal=f"<= {LINEAR_GOAL}",
            ok=growth <= LINEAR_GOAL,
        )
    )
    return scale + extra
