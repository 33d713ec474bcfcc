"""Build benchmarks (issues 8, 19): scale against grafanalib on disk and in memory, memory, start-up, rebuild.

``azora-dash build`` compiles every dashboard in one process; grafanalib's own
``generate-dashboards`` gets the same dashboards (see ``synthetic.py``) in one
invocation too, so both pay start-up once and the ratio compares per-dashboard work.
Each size runs twice: with the output on this machine's disk and on a memory
filesystem (tmpfs, /dev/shm), so that the disk neither hides a regression of ours
nor is blamed for one.
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
FAMILIES = ("build", "validate")  # figure names start with these (bench.run --only)
# The parts of this benchmark, by the figures each one measures.
SCALE = ("build/scale", "build/linear growth", "build/peak memory")
REBUILD = ("build/no-change rebuild", "validate")
STARTUP = ("build/start-up", "build/cached no-change rebuild")
V2 = ("build/schema v2",)
SCALE_GOAL = 0.6  # our time / grafanalib's, at every size, on disk and in memory
LINEAR_GOAL = 1.1  # per-dashboard time at the largest N / at N/10
MEMORY_GOAL = 2.0  # our peak RSS / grafanalib's at the largest N
FLAT_GOAL = 1.2  # our peak RSS at the largest N / at N/10
STARTUP_GOAL = 1.3  # `azora-dash build` of the real dashboards / `import grafanalib.core`
CACHED_GOAL = 2.0  # a cached no-change rebuild of the real dashboards / `python -c pass`
VALIDATE_GOAL = 2.0  # `azora-dash validate` / json.load of the same files
REBUILD_GOAL = 0.25
V2_GOAL = 1.5  # `build --schema v2` / the v1 build of the same dashboards: one conversion per dashboard on top
TMPFS = Path("/dev/shm")
# The repo's own dashboards, whose build is the start-up figure (issue 19 had 4, there are more now).
REAL = len([p for p in (REPO / "dashboards").glob("*.py") if not p.name.startswith("_")])


def sizes(n: int) -> list[int]:
    """N/10, 3N/10, N and 3N (100, 300, 1,000 and 3,000 for the full run), without repeats."""
    return sorted({max(1, n // 10), max(1, 3 * n // 10), n, 3 * n})


def places() -> list[tuple[str, Path | None]]:
    """Where outputs go: the disk (the default temp dir) and tmpfs, where there is one."""
    return [("disk", None)] + ([("tmpfs", TMPFS)] if TMPFS.is_dir() else [])


def _ours(dashboards: Path, out: Path, fresh: bool) -> Command:
    argv = (tool("azora-dash"), "build", "--dashboards", str(dashboards), "--out", str(out), "--format", "json")
    return Command(argv, setup=(lambda: shutil.rmtree(out, ignore_errors=True)) if fresh else None)


def _theirs(paths: list[Path], where: Path) -> Command:
    """generate-dashboards writes each .json beside its module: start from none, as we do."""

    def clean():
        for old in where.glob("*.json"):
            old.unlink()

    return Command((tool("generate-dashboards"), *map(str, paths)), cwd=where, setup=clean)


def _scale(work: Path, n: int, k: int, place: str, quick: bool) -> tuple[Figure, float, tuple[float, float]]:
    """Fresh builds of ``n`` dashboards by both tools, output on ``place``."""
    ours_dir, theirs_dir, out = work / "ours", work / "grafanalib", work / "out"
    paths = synthetic.write(n, ours_dir, theirs_dir)
    first, base = measure([_ours(ours_dir, out, fresh=True), _theirs(paths, theirs_dir)], k, warmup=not quick)
    ratio = first.cpu / base.cpu
    figure = Figure(
        f"build/scale ({place}): {n} dashboards",
        first.cpu / n * 1000,
        "ms CPU/dashboard",
        GRAFANALIB,
        base.cpu / n * 1000,
        f"ratio <= {SCALE_GOAL}",
        ratio <= SCALE_GOAL,
    )
    return figure, first.cpu / n, (first.maxrss_kib / 1024, base.maxrss_kib / 1024)


def _rebuild(work: Path, n: int, k: int, quick: bool) -> list[Figure]:
    """A no-change rebuild right after a fresh build, in the same rounds, then validate what was built."""
    ours_dir, out = work / "ours", work / "out"
    if not ours_dir.is_dir():  # the scale part did not run (bench.run --only)
        synthetic.write(n, ours_dir, work / "grafanalib")
    first, again = measure([_ours(ours_dir, out, fresh=True), _ours(ours_dir, out, fresh=False)], k, not quick)
    written = len(json.loads(again.stdout)["written"])
    return [
        Figure(
            f"build/no-change rebuild: {n} dashboards",
            again.cpu,
            "s CPU",
            "first build",
            first.cpu,
            f"ratio <= {REBUILD_GOAL} (inputs unchanged: compiles and writes nothing)",
            again.cpu <= REBUILD_GOAL * first.cpu,
        ),
        Figure("build/no-change rebuild: files written", written, "files", goal="0", ok=written == 0),
        _validate(out, n, k, quick),
    ]


def _validate(out: Path, n: int, k: int, quick: bool) -> Figure:
    """`make dashboards` validates what it built; the floor is parsing the same files."""
    folder = out / "dashboards" / "azora"
    ours = Command((tool("azora-dash"), "validate", str(folder), "--format", "json"))
    load = f"import glob, json\nfor f in sorted(glob.glob({str(folder / '*.json')!r})):\n    json.load(open(f))"
    a, b = measure([ours, Command((sys.executable, "-c", load))], k, warmup=not quick)
    return Figure(
        f"validate: {n} dashboards",
        a.cpu,
        "s CPU",
        "json.load of the same files",
        b.cpu,
        f"ratio <= {VALIDATE_GOAL}",
        a.cpu <= VALIDATE_GOAL * b.cpu,
    )


def _v2_build(work: Path, n: int, k: int, quick: bool) -> Figure:
    """The v2 build's cost per dashboard beside the v1 build's, the same modules, measured in the same rounds."""
    modules, out1, out2 = work / "v2-modules", work / "v2-out-v1", work / "v2-out-v2"
    synthetic.write(n, modules, work / "v2-unused")
    v2 = Command(
        (*_ours(modules, out2, fresh=True).argv, "--schema", "v2"),
        setup=lambda: shutil.rmtree(out2, ignore_errors=True),
    )
    a, b = measure([v2, _ours(modules, out1, fresh=True)], k, warmup=not quick)
    return Figure(
        f"build/schema v2: {n} dashboards",
        a.seconds / n * 1000,
        "ms/dashboard",
        "v1 build, same run",
        b.seconds / n * 1000,
        f"ratio <= {V2_GOAL}",
        a.seconds <= V2_GOAL * b.seconds,
    )


def _memory(peaks: dict[int, tuple[float, float]]) -> list[Figure]:
    """Peak RSS at each size but the smallest, and flatness from N/10 to 3N."""
    ns = sorted(peaks)
    shown, largest = ns[1:] or ns, ns[-1]
    figures = [
        Figure(
            f"build/peak memory: {n} dashboards",
            peaks[n][0],
            "MiB",
            GRAFANALIB,
            peaks[n][1],
            f"ratio <= {MEMORY_GOAL} at the largest N" if n == largest else "reported (ru_maxrss)",
            peaks[n][0] <= MEMORY_GOAL * peaks[n][1] if n == largest else None,
        )
        for n in shown
    ]
    growth = peaks[largest][0] / peaks[shown[0]][0]
    figures.append(
        Figure(
            f"build/peak memory growth: {largest} vs {shown[0]}",
            growth,
            "x",
            goal=f"<= {FLAT_GOAL} (flat)",
            ok=growth <= FLAT_GOAL,
        )
    )
    return figures


def _startup(work: Path, k: int, quick: bool) -> list[Figure]:
    """The floors: build the real dashboards vs importing grafanalib; a cached rebuild vs Python."""
    # fresh: an unchanged rebuild would be answered from the build cache, which is not start-up.
    fresh = _ours(REPO / "dashboards", work / "startup-out", fresh=True)
    cached = _ours(REPO / "dashboards", work / "startup-out", fresh=False)
    grafanalib = Command((sys.executable, "-c", "import grafanalib.core"))
    # grafanalib as our build imports it, its attrs methods loaded from azora_dash.grafanalib_cache:
    # against this, what is left is our own modules and the six builds.
    cached_import = Command((sys.executable, "-c", "from azora_dash import grafanalib_cache"))
    bare = Command((sys.executable, "-c", "pass"))
    a, b, c, d, e = measure([fresh, grafanalib, cached, bare, cached_import], k, warmup=not quick)
    return [
        Figure(
            f"build/start-up: {REAL} real dashboards",
            a.cpu * 1000,
            "ms CPU",
            "python -c 'import grafanalib.core'",
            b.cpu * 1000,
            f"ratio <= {STARTUP_GOAL}",
            a.cpu <= STARTUP_GOAL * b.cpu,
        ),
        Figure(
            f"build/start-up beyond grafanalib's import: {REAL} real dashboards",
            a.cpu * 1000,
            "ms CPU",
            "grafanalib.core imported through azora_dash.grafanalib_cache",
            e.cpu * 1000,
            "reported (our modules and the builds)",
        ),
        Figure(
            f"build/cached no-change rebuild: {REAL} real dashboards",
            c.cpu * 1000,
            "ms CPU",
            "python -c pass",
            d.cpu * 1000,
            f"ratio <= {CACHED_GOAL}",
            c.cpu <= CACHED_GOAL * d.cpu,
        ),
    ]


def needs(part: tuple[str, ...], only: tuple[str, ...]) -> bool:
    """Whether the figures ``only`` asks for (prefixes; empty: all) include one of ``part``'s."""
    return not only or any(name.startswith(p) or p.startswith(name) for name in part for p in only)


def run(n: int, quick: bool, only: tuple[str, ...] = ()) -> list[Figure]:
    scale, extra, per, peaks = [], [], {}, {}
    ns = sizes(n)
    for place, root in places():
        with tempfile.TemporaryDirectory(prefix="azora-bench-", dir=root) as tmp:
            for size in ns if needs(SCALE, only) else ():
                # Fewer rounds at the largest size: one round there costs as much as all the others;
                # more at the two smallest, whose runs are short enough for a busy spell to skew 5.
                k = 1 if quick else (3 if size == ns[-1] else 5 if size >= n else 9)
                figure, per[place, size], peak = _scale(Path(tmp) / str(size), size, k, place, quick)
                scale.append(figure)
                peaks.setdefault(size, peak)
            if place == "disk":
                if needs(REBUILD, only):
                    extra += _rebuild(Path(tmp) / str(n), n, 1 if quick else 3, quick)
                if needs(V2, only):
                    extra.append(_v2_build(Path(tmp), n, 1 if quick else 3, quick))
                if needs(STARTUP, only):
                    extra += _startup(Path(tmp), 1 if quick else 11, quick)
    if not peaks:
        return extra
    smaller = ns[-3] if len(ns) >= 3 else ns[0]
    for place, _ in places():
        growth = per[place, ns[-1]] / per[place, smaller]
        scale.append(
            Figure(
                f"build/linear growth ({place}): per dashboard at {ns[-1]} vs {smaller}",
                growth,
                "x",
                goal=f"<= {LINEAR_GOAL}",
                ok=growth <= LINEAR_GOAL,
            )
        )
    return scale + _memory(peaks) + extra
