"""The diff benchmark measures what it claims: 5% of panels changed, and diff finds each one."""
from __future__ import annotations

import importlib.util

from azora_dash.diff import diff

from .conftest import ROOT


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_diff", ROOT / "bench" / "bench_diff.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_sides_differ_in_exactly_five_percent_of_panels():
    bench = load_bench()
    old, new = bench.make_sides(40)
    changes = diff(old, new)
    panels = 40 * bench.PANELS
    assert len({(c.dashboard_uid, c.panel_id) for c in changes}) == len(changes) == int(panels * bench.CHANGED)
    assert {c.kind.value for c in changes} == {"modified", "moved"}
