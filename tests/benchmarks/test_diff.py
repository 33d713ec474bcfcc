"""The diff benchmark measures what it claims: 5% of panels changed, and diff finds each one."""

from __future__ import annotations

from azora_dash.diff.core import diff
from bench import bench_diff as bench


def test_bench_sides_differ_in_exactly_five_percent_of_panels():
    old, new = bench.make_sides(40)
    changes = diff(old, new)
    panels = 40 * bench.PANELS
    assert len({(c.dashboard_uid, c.panel_id) for c in changes}) == len(changes) == int(panels * bench.CHANGED)
    assert {c.kind.value for c in changes} == {"modified", "moved"}
