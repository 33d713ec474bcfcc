"""``make bench``: run every benchmark, print the table and write ``bench/results.md``.

Benchmarks are listed explicitly (no import scanning); each module exposes
``run(n, quick) -> list[harness.Figure]``. A feature adds its benchmark with one
line in ``BENCHMARKS``. ``n`` is the scale: the largest number of dashboards
(1,000 in the full run, 3 in the smoke test). ``quick`` asks for one sample per
figure and no warm-up; repeat counts are the benchmark's own choice, not ``n``.

    python -m bench.run               # the full run, N = 1,000
    python -m bench.run --quick       # every figure once, no warm-up: `make bench BENCH_ARGS=--quick`
    python -m bench.run --quick --n 3 # the smoke test's run: one sample each, tiny N
    python -m bench.run --only lint,build/start-up   # just these figures (printed; no results.md)

``--only`` takes figure-name prefixes. A benchmark runs when a prefix names one of its
figures' families (``FAMILIES``, default its module name without ``bench_``); one whose
``run`` accepts ``only`` measures just the parts those prefixes need, the others run whole
and their other figures are dropped.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import shutil
import sys
import time
from pathlib import Path

from .harness import PYCACHE, REPO, Figure, format_table, machine, markdown, write_results

BENCHMARKS: list[str] = [
    "bench.bench_build",
    "bench.bench_diff",
    "bench.bench_import",
    "bench.bench_lint",
    "bench.bench_preview",
    "bench.bench_push",
    "bench.bench_verify",
    "bench.bench_backtest",
]

NOTES = [
    "Child processes run with Python's bytecode cache enabled (in bench/work/pycache), after one untimed warm-up run.",
    "Times marked CPU are user + system time (of the child process, or of this one for in-process figures): on a "
    "shared 2-core machine wall time mostly counts waiting for a core, while system time still counts the kernel's "
    "work of creating and writing files on disk or tmpfs.",
    "ratio = value / baseline; `met` is the goal's verdict (`-` when the figure is only reported).",
]


def families(module) -> tuple[str, ...]:
    return getattr(module, "FAMILIES", (module.__name__.rsplit(".", 1)[-1].removeprefix("bench_"),))


def wanted(name: str, only: tuple[str, ...]) -> bool:
    """A figure is wanted when ``only`` is empty or one of its prefixes starts the figure's name."""
    return not only or name.startswith(only)


def covers(module, only: tuple[str, ...]) -> bool:
    """Whether a prefix in ``only`` names one of the module's figure families (or a figure in one)."""
    return not only or any(p.split("/")[0].rstrip(":").strip() in families(module) for p in only)


def collect(n: int, quick: bool, only: tuple[str, ...] = ()) -> tuple[list[Figure], list[str]]:
    """Every (wanted) benchmark's figures, and one line per benchmark that failed (the others still run)."""
    figures: list[Figure] = []
    failed: list[str] = []
    for name in BENCHMARKS:
        try:
            module = importlib.import_module(name)
            if not covers(module, only):
                continue
            selective = only and "only" in inspect.signature(module.run).parameters
            items = module.run(n, quick, only=only) if selective else module.run(n, quick)
            figures += [f for f in map(Figure.of, items) if wanted(f.name, only)]
        except Exception as exc:  # noqa: BLE001 - report it and keep the other benchmarks' figures
            failed.append(f"{name} failed: {type(exc).__name__}: {exc}")
    return figures, failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="largest number of dashboards (default 1000)")
    parser.add_argument("--quick", action="store_true", help="one sample per figure, no warm-up (smoke test)")
    parser.add_argument(
        "--only", default="", help="comma-separated figure-name prefixes, e.g. lint,build/start-up (no results.md)"
    )
    parser.add_argument("--out", type=Path, help="Markdown results file (default bench/results.md, unless --only)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    only = tuple(p.strip() for p in args.only.split(",") if p.strip())
    # A partial run must not replace the committed results of a full one.
    out = args.out or (None if only else REPO / "bench" / "results.md")
    # Start from an empty bytecode cache: it holds one run's temp dashboards, not every run's.
    shutil.rmtree(PYCACHE, ignore_errors=True)
    started = time.monotonic()
    figures, failed = collect(args.n, args.quick, only)
    if only and not figures and not failed:
        print(f"error: no figure starts with {', '.join(only)}", file=sys.stderr)
        return 2
    took = f"{(time.monotonic() - started) / 60:.0f} min"
    mode = ("quick" if args.quick else "full") + (f", only {', '.join(only)}" if only else "")
    meta = {**machine(), "largest N": str(args.n), "mode": mode, "run took": took}
    print(format_table(figures))
    if out:
        write_results(out, markdown(figures, meta, NOTES + failed))
    if args.json:
        write_results(
            args.json,
            json.dumps({"machine": meta, "figures": [f.as_dict() for f in figures], "failed": failed}, indent=2) + "\n",
        )
    for line in failed:
        print(f"error: {line}", file=sys.stderr)
    if out:
        print(f"\nwrote {out}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
