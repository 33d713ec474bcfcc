"""The benchmark harness: figures, median-of-k timing and the results table.

Each ``bench/bench_<feature>.py`` exposes ``run(n, quick) -> list[Figure]``;
``bench/run.py`` collects them. Machines here are small and noisy, so every
figure is a median of several runs measured side by side with its baseline in
the same session, and the table reports the ratio, not just absolute times.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Figure:
    """One measured number, with the baseline it is compared against and its goal."""

    name: str
    value: float
    unit: str
    baseline_name: str | None = None
    baseline: float | None = None
    goal: str = ""
    ok: bool | None = None  # None: reported only, no goal to meet

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline

    def as_dict(self) -> dict:
        return {**asdict(self), "ratio": self.ratio}

    @classmethod
    def of(cls, item: Figure | dict) -> Figure:
        """A Figure, also from the plain-dict form benchmarks used before this harness existed."""
        if isinstance(item, Figure):
            return item
        goal = item.get("goal")
        return cls(
            item["name"],
            item["value"],
            item["unit"],
            item.get("baseline_name"),
            item.get("baseline"),
            "" if goal is None else str(goal),
            item.get("ok"),
        )


@dataclass(frozen=True)
class Run:
    """One finished child process: wall time, CPU time (user + system), its own peak RSS and what it printed.

    With a dozen processes on two cores, a child's wall time is mostly time spent waiting
    for a core; its CPU time is what it cost, the kernel's work of creating and writing
    files included (system time), so the build figures compare CPU time.
    """

    seconds: float
    maxrss_kib: int
    stdout: str = ""
    cpu: float = 0.0


@dataclass(frozen=True)
class Command:
    """A command line to time; ``setup`` runs untimed before each run (e.g. to empty an output dir)."""

    argv: tuple[str, ...]
    cwd: Path | None = None
    setup: Callable[[], None] | None = None


# Bytecode cache for measured children, outside the source tree (the repo tracks .venv).
PYCACHE = REPO / "bench" / "work" / "pycache"


def child_env() -> dict[str, str]:
    """The environment for measured children.

    Bytecode caching is Python's default on developer machines and in CI; some
    shells here disable it, which would make every run recompile every module.
    Both tools get the same environment, and a warm-up run fills the cache,
    which lives under ``bench/work`` so that no tracked file changes.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def run_cmd(cmd: Command) -> Run:
    """Run ``cmd`` once (after its setup); raise with its stderr if it fails.

    ``os.wait4`` returns the rusage of this one child, so ``ru_maxrss`` is its own
    peak (RUSAGE_CHILDREN would be the maximum over every child so far).
    """
    if cmd.setup:
        cmd.setup()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd.argv, cwd=cmd.cwd, env=child_env(), stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            tail = err.read().decode(errors="replace").strip().splitlines()[-3:]
            raise RuntimeError(f"{' '.join(cmd.argv[:3])} ... exited {proc.returncode}: {' | '.join(tail)}")
        # Linux reports ru_maxrss in KiB.
        return Run(elapsed, usage.ru_maxrss, out.read().decode(errors="replace"), usage.ru_utime + usage.ru_stime)


def measure(commands: Sequence[Command], k: int, warmup: bool = True) -> list[Run]:
    """Median run of each command over ``k`` rounds.

    Commands run round-robin (a, b, a, b, ...) so that a noisy spell on the
    machine hits both sides of a comparison alike. The warm-up round fills
    bytecode and page caches. Peak RSS is the largest seen; wall and CPU time are
    each the median of their own samples.
    """
    if warmup:
        for cmd in commands:
            run_cmd(cmd)
    samples: list[list[Run]] = [[] for _ in commands]
    for _ in range(k):
        for cmd, runs in zip(commands, samples):
            runs.append(run_cmd(cmd))
    return [
        Run(
            statistics.median(r.seconds for r in runs),
            max(r.maxrss_kib for r in runs),
            runs[-1].stdout,
            statistics.median(r.cpu for r in runs),
        )
        for runs in samples
    ]


def median_time(fn: Callable[[], object], k: int, clock: Callable[[], float] = time.perf_counter) -> float:
    """Median seconds of ``k`` in-process calls of ``fn`` (``clock=time.process_time`` for CPU time)."""
    return median_times([fn], k, clock)[0]


def median_times(
    fns: Sequence[Callable[[], object]], k: int, clock: Callable[[], float] = time.perf_counter
) -> list[float]:
    """Median seconds of ``k`` in-process calls of each of ``fns``, called round-robin (a, b, a, b, ...)
    as ``measure`` runs commands, so that a busy spell on the machine hits every side alike."""
    samples: list[list[float]] = [[] for _ in fns]
    for _ in range(k):
        for fn, taken in zip(fns, samples):
            start = clock()
            fn()
            taken.append(clock() - start)
    return [statistics.median(taken) for taken in samples]


def tool(name: str) -> str:
    """A console script installed beside this Python (the venv's), else on PATH."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name}: not installed; run `make venv`")
    return found


def _num(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    text = f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return f"{text} {unit}".strip()


def _verdict(ok: bool | None) -> str:
    return {True: "yes", False: "NO", None: "-"}[ok]


def table_rows(figures: list[Figure]) -> list[list[str]]:
    head = ["figure", "value", "baseline", "ratio", "goal", "met"]
    rows = [
        [
            f.name,
            _num(f.value, f.unit),
            f"{f.baseline_name}: {_num(f.baseline, f.unit)}" if f.baseline_name else "-",
            _num(f.ratio, "x") if f.ratio is not None else "-",
            f.goal or "-",
            _verdict(f.ok),
        ]
        for f in figures
    ]
    return [head, *rows]


def format_table(figures: list[Figure]) -> str:
    """A plain-text table for the terminal."""
    rows = table_rows(figures)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def machine() -> dict[str, str]:
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "cores": str(os.cpu_count()),
        "platform": platform.platform(terse=True),
    }


def markdown(figures: list[Figure], meta: dict[str, str], notes: list[str]) -> str:
    rows = table_rows(figures)
    out = [
        "# azora-dash benchmarks",
        "",
        "Generated by `make bench` (`python -m bench.run`); do not edit. "
        "Times are medians of several runs; ratios compare against the baseline measured in the same run.",
        "",
    ]
    out += [f"- {key}: {value}" for key, value in meta.items()]
    out += ["", "| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    out += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows[1:]]
    if notes:
        out += ["", *[f"- {note}" for note in notes]]
    return "\n".join(out) + "\n"


def write_results(path: Path, text: str) -> None:
    """Atomic, change-only write (the same writer the build uses)."""
    from azora_dash.jsonio import write_tree

    write_tree(path.parent, {path.name: text})
