"""How diff Changes become preview highlights."""

from __future__ import annotations

from azora_dash.preview.changes import describe, find_panel, highlights, kind_of

from .helpers import FieldChange, change, dashboard


def test_kind_of_accepts_enum_and_plain_string():
    assert kind_of(change("moved")) == "moved"
    assert kind_of(type("C", (), {"kind": "added"})()) == "added"


def test_panels_are_keyed_by_id_else_title():
    hl = highlights([change("modified", panel_id=3), change("added", panel_title="New one")])
    assert hl.lookup({"id": 3, "title": "renamed"}) == ("id", 3)
    assert hl.lookup({"id": 99, "title": "New one"}) == ("title", "New one")
    assert hl.lookup({"id": 4, "title": "Latency"}) is None


def test_find_panel_looks_inside_collapsed_rows():
    assert find_panel(dashboard(), ("id", 7))["title"] == "Hidden B"
    assert find_panel(dashboard(), ("title", "Hidden A"))["id"] == 6
    assert find_panel(None, ("id", 7)) is None


def test_removed_panel_missing_from_old_dashboard_is_counted_not_drawn():
    hl = highlights([change("removed", panel_id=42)], dashboard())
    assert hl.removed == [] and hl.counts["removed"] == 1


def test_moved_prefers_the_diffs_gridpos_over_the_old_dashboard():
    pos = {"x": 3, "y": 30, "w": 6, "h": 4}
    hl = highlights([change("moved", panel_id=4, fields=(FieldChange("gridPos", pos, {}),))], dashboard())
    assert hl.moved_from[("id", 4)] == pos
    hl = highlights([change("moved", panel_id=4, fields=(FieldChange("row", "A", "B"),))], dashboard())
    assert hl.moved_from[("id", 4)] == {"x": 0, "y": 9, "w": 12, "h": 8}


def test_describe_is_one_bounded_line():
    long = FieldChange("expr[A]", "x" * 200, "y\n" * 50)
    text = describe(change("modified", fields=(long,)))
    # Each value is cut to 30 characters and whitespace is collapsed.
    assert text == f"modified (expr[A]: {'x' * 29}… → {'y ' * 14}y…)"
    assert len(describe(change("modified", fields=(long,) * 3))) == 90  # the whole line is capped too
