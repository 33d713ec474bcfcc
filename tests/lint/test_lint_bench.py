"""The lint benchmark lints what it claims: distinct queries per dashboard, all of them linted."""

from __future__ import annotations

from azora_dash.lint import load_paths, query, run
from bench import bench_lint


def load_bench():
    return bench_lint


def test_synthetic_dashboards_share_no_query_text(tmp_path):
    bench = load_bench()
    boards = load_paths([bench.write(6, tmp_path)])
    exprs = [{t["expr"] for p in b.dashboard["panels"] for t in p.get("targets", [])} for b in boards]
    assert all(len(b.dashboard["panels"]) == bench.PANELS for b in boards)
    assert all(not (a & b) for i, a in enumerate(exprs) for b in exprs[i + 1 :])
    query.clear_caches()
    result = run(boards)
    # Every rewritten query still parses, its extra matcher is a label the catalogue knows,
    # and each dashboard defines the variables its panels use.
    assert not [p.message for p in result.problems if p.rule in ("promql/syntax", "metrics/known", "target-promql")]


def test_quick_run_reports_load_and_lint(tmp_path):
    figures = load_bench().run(3, quick=True)
    load, lint = figures
    # Both against the floor, a plain json.load of the same files (issue 19).
    assert load.unit == lint.unit == "s CPU" and lint.baseline == load.baseline > 0
    assert lint.ok == (lint.value / lint.baseline <= bench_lint.GOAL) and "3 linted" in lint.name
