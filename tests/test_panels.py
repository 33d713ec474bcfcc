"""Panel builders: refIds, table targets, and callers' objects left alone."""

import grafanalib.core as G

from azora_dash import panels as P


def refs(panel):
    return [(t.refId, t.expr) for t in panel.targets]


def test_queries_get_ref_ids_in_order():
    panel = P.timeseries("t", "d", [("up", "a"), ("down", "b"), "sideways"], "short")
    assert refs(panel) == [("A", "up"), ("B", "down"), ("C", "sideways")]
    assert [t.legendFormat for t in panel.targets] == ["a", "b", ""]


def test_a_single_query_bare_or_with_legend():
    assert refs(P.stat("s", "d", "up", "none")) == [("A", "up")]
    assert refs(P.stat("s", "d", ("up", "legend"), "none")) == [("A", "up")]


def test_callers_targets_are_not_changed():
    mine = P.target("up", "l")
    named = P.target("down", ref="Z")
    panel = P.timeseries("t", "d", [mine, named], "short")
    assert refs(panel) == [("A", "up"), ("Z", "down")]
    assert mine.refId == "" and panel.targets[0] is not mine


def test_table_targets_are_instant_tables():
    panel = P.table("t", "d", ["up", P.target("x", "l", instant=True, table=True)], "none")
    assert isinstance(panel, G.Table)
    assert refs(panel) == [("A", "up"), ("B", "x")]
    assert all(t.instant and t.format == "table" for t in panel.targets)
    assert refs(P.table("t", "d", "up", "none")) == [("A", "up")]
