"""``make bench``: run every benchmark, print the table and write ``bench/results.md``.

Benchmarks are listed explicitly (no import scanning); each module exposes
``run(n, quick) -> list[harness.Figure]``. A feature adds its benchmark with one
line in ``BENCHMARKS``.

    python -m bench.run               # the full run, N = 1,000
    python -m bench.run --quick --n 3 # the smoke test's run: one sample each, tiny N
"""
from __future__ import annotations

import argparse
import importlib
import json
import shutil
import sys
from pathlib import Path

from .harness import PYCACHE, REPO, Figure, format_table, machine, markdown, write_results

BENCHMARKS: list[str] = [
    "bench.bench_build",
]

NOTES = [
    "Child processes run with Python's bytecode cache enabled (in bench/work/pycache), after one untimed warm-up run.",
    "ratio = value / baseline; `met` is the goal's verdict (`-` when the figure is only reported).",
]


def collect(n: int, quick: bool) -> list[Figure]:
    figures: list[Figure] = []
    for name in BENCHMARKS:
        figures += importlib.import_module(name).run(n, quick)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="largest number of dashboards (default 1000)")
    parser.add_argument("--quick", action="store_true", help="one sample per figure, no warm-up (smoke test)")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results.md", help="Markdown results file")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    # Start from an empty bytecode cache: it holds one run's temp dashboards, not every run's.
    shutil.rmtree(PYCACHE, ignore_errors=True)
    figures = collect(args.n, args.quick)
    meta = {**machine(), "largest N": str(args.n), "mode": "quick" if args.quick else "full"}
    print(format_table(figures))
    write_results(args.out, markdown(figures, meta, NOTES))
    if args.json:
        write_results(args.json, json.dumps({"machine": meta, "figures": [f.as_dict() for f in figures]}, indent=2) + "\n")
    print(f"\nwrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
