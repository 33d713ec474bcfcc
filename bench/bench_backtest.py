"""Benchmark for ``azora-dash backtest`` (issue 20): 7 days of history at 15 s resolution, per rule.

The history is backfilled into a real Prometheus (Debian package) with promtool, as in
tests/analyze/history.py, with the generated alert rules. The baseline, measured side by
side, is reading every point of ``up`` over the same range at the same step: the floor any
backtest of a rule pays to read its points.

    python -m bench.bench_backtest      # standalone; `make bench` runs it via bench/run.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script, it still imports tests.analyze.history
    sys.path.insert(0, str(REPO))

from azora_dash.analyze.backtest import Rule, backtest_rule, grid, load_rules, series_presence
from azora_dash.config import DEFAULT
from azora_dash.stack import RULES, generate
from azora_dash.verify.prometheus import PrometheusClient
from bench.harness import Figure, median_time

H = 3600


def _incidents(days: int):
    from tests.analyze.history import Incident

    return [Incident("azora-gateway", d * 86400 + 6 * H, 600) for d in range(days)]


def bench_backtest(days: int, k: int) -> list:
    from tests.analyze.history import STEP, backfilled
    from tests.verify.live_prometheus import binaries

    if not all(binaries().values()):
        return []
    with tempfile.TemporaryDirectory() as tmp:
        generate(DEFAULT, Path(tmp) / "monitoring")
        rules = load_rules([Path(tmp) / "monitoring" / RULES], STEP)
        with backfilled(Path(tmp), _incidents(days), days=days) as history:
            client = PrometheusClient(history.url, timeout=300)
            points = len(grid(history.start, history.end, STEP))

            def all_rules():
                return [backtest_rule(client, r, history.start, history.end) for r in rules]

            def floor():
                # Reading every point of `up`, in the same chunks, without replaying any state machine.
                raw = Rule("up", "up", 0, 0, STEP, "bench", "bench")
                return series_presence(client, raw, grid(history.start, history.end, STEP))

            seconds = median_time(all_rules, k)
            base = median_time(floor, k)
    per_rule = seconds / len(rules)
    return [
        Figure(
            name=f"backtest/{days}d at 15 s ({points} evaluations), per rule ({len(rules)} rules)",
            value=per_rule,
            unit="s",
            baseline_name="reading every point of up, same range and step",
            baseline=base,
            goal="< 5 s per rule",
            ok=per_rule < 5,
        ),
        Figure(name=f"backtest/{days}d, all {len(rules)} generated alert rules", value=seconds, unit="s"),
    ]


def run(n: int = 1000, quick: bool = False) -> list:
    """``n`` does not apply (the rules are the generated ones); quick backtests 1 day once."""
    return bench_backtest(1, 1) if quick else bench_backtest(7, 3)


if __name__ == "__main__":
    for fig in run():
        print(fig)
