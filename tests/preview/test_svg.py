"""Structural tests of the preview SVG: read the drawing back with xml.etree."""

from __future__ import annotations

import json

import pytest

from azora_dash.errors import InputError
from azora_dash.preview.changes import all_panels
from azora_dash.preview.svg import first_query, fit, render_svg, wrap

from ..conftest import ROOT
from .helpers import FieldChange, by_id, change, dashboard, groups, parse

SVG = "{http://www.w3.org/2000/svg}"
BUILT = sorted(ROOT.glob("provisioning/dashboards/azora/*.json"))
TOP = 64  # header height without a change summary


def rect_of(group) -> tuple[int, ...]:
    rect = group.find(f"{SVG}rect")
    return tuple(int(rect.get(k)) for k in ("x", "y", "width", "height"))


def texts(group, cls: str) -> list[str]:
    return [t.text for t in group.iter(f"{SVG}text") if t.get("class") == cls]


@pytest.mark.parametrize("path", BUILT, ids=lambda p: p.stem)
def test_every_built_panel_is_one_box_at_its_grid_position(path):
    board = json.loads(path.read_text())
    root = parse(render_svg(board))
    visible = [p for p in board["panels"] if p["type"] != "row"]
    assert len(groups(root, "panel")) == len(visible)
    for panel in visible:
        (group,) = by_id(root, "panel", panel["id"])
        g = panel["gridPos"]
        assert [group.get(f"data-{k}") for k in "xywh"] == [str(g[k]) for k in "xywh"]
        # 50 px columns, 30 px grid rows, a 4 px margin on each side of the box.
        assert rect_of(group) == (g["x"] * 50 + 4, TOP + g["y"] * 30 + 4, g["w"] * 50 - 8, g["h"] * 30 - 8)
        assert texts(group, "title")[0] == fit(panel["title"], g["w"] * 50 - 24)


def test_box_pixels_for_a_known_panel():
    root = parse(render_svg(dashboard()))
    (errors,) = by_id(root, "panel", 3)  # gridPos x=6 y=1 w=18 h=8
    assert rect_of(errors) == (304, 98, 892, 232)
    assert root.get("width") == "1200"
    # Tallest visible item ends at grid row 18 (the collapsed row at y=17, h=1).
    assert root.get("height") == str(TOP + 18 * 30 + 8)


def test_collapsed_row_shows_child_count_and_hides_children():
    root = parse(render_svg(dashboard()))
    (row,) = by_id(root, "row", 5)
    assert "collapsed" in row.get("class").split()
    assert row.get("data-children") == "2"
    assert texts(row, "row-title") == ["Details  (2 panels)"]
    assert by_id(root, "panel", 6) == [] and by_id(root, "panel", 7) == []


def test_open_row_is_a_header_without_count():
    root = parse(render_svg(dashboard()))
    (row,) = by_id(root, "row", 1)
    assert row.get("class") == "row" and row.get("data-children") is None
    assert texts(row, "row-title") == ["Traffic"]


def test_panel_shows_type_unit_and_abbreviated_first_query():
    root = parse(render_svg(dashboard()))
    (stat,) = by_id(root, "panel", 2)
    assert stat.get("data-type") == "stat"
    assert texts(stat, "type") == ["stat · reqps"]
    assert "".join(texts(stat, "query")) == "A: sum(rate(x_total{…}[5m]))"


def test_first_query_collapses_whitespace_and_counts_the_rest():
    panel = {"targets": [{"refId": "B", "expr": 'a{x="1"}\n/\nb{y="2"}'}, {"refId": "C", "expr": "c"}]}
    assert first_query(panel) == "B: a{…} / b{…}  (+1)"
    assert first_query({"targets": []}) == ""


def test_wrap_splits_long_text_and_ellipsises_the_last_line():
    assert wrap("abcdefghij", 4 * 6.2, 2) == ["abcd", "efg…"]
    assert wrap("abc", 4 * 6.2, 2) == ["abc"]


def test_header_has_title_visible_variables_and_time_range():
    root = parse(render_svg(dashboard()))
    assert [t.text for t in groups(root, "dash-title")] == ["Demo <board> & co"]
    (time,) = groups(root, "time-range")
    assert (time.get("data-from"), time.get("data-to")) == ("now-6h", "now")
    assert "now-6h to now" in time.text and "30s" in time.text
    # hide=2 variables are invisible in Grafana too.
    assert [v.get("data-name") for v in groups(root, "variable")] == ["job"]
    assert texts(groups(root, "variable")[0], "variable-label") == ["Service: auth + mint"]


def test_text_is_escaped_and_nothing_external_or_scripted():
    board = dashboard()
    board["panels"][1]["title"] = '<script>alert("x")</script> & "q"'
    svg = render_svg(board)
    root = parse(svg)
    (stat,) = by_id(root, "panel", 2)
    assert stat.find(f"{SVG}title").text.startswith('<script>alert("x")</script> & "q"')
    assert (
        "<script" not in svg
        and "href" not in svg
        and "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    )


def test_output_is_byte_identical_for_the_same_input():
    board = dashboard()
    first = render_svg(board, [change("modified", panel_id=2)], dashboard())
    # Same content, different key order: the drawing must not depend on dict order.
    shuffled = json.loads(json.dumps(board, sort_keys=True))
    assert render_svg(shuffled, [change("modified", panel_id=2)], dashboard()) == first
    assert render_svg(board) == render_svg(dashboard())


def test_without_changes_nothing_is_highlighted():
    svg = render_svg(dashboard())
    assert "change-" not in svg.replace(".change-", "")  # only the stylesheet mentions them
    assert groups(parse(svg), "summary") == []


def test_empty_change_list_says_no_changes():
    root = parse(render_svg(dashboard(), []))
    assert [t.text for t in groups(root, "summary")] == ["no changes"]
    (stat,) = by_id(root, "panel", 2)  # the summary line pushes the grid down 22 px
    assert rect_of(stat)[1] == TOP + 22 + 30 + 4


def test_added_and_modified_panels_are_outlined_by_kind():
    changes = [change("added", panel_id=2, panel_title="Request rate"), change("modified", panel_title="Errors")]
    root = parse(render_svg(dashboard(), changes))
    assert by_id(root, "panel", 2)[0].get("class") == "panel change-added"
    assert by_id(root, "panel", 3)[0].get("class") == "panel change-modified"  # matched by title
    assert by_id(root, "panel", 4)[0].get("class") == "panel"
    assert [t.text for t in groups(root, "summary")] == ["1 added · 1 modified"]


def test_modified_panel_tooltip_names_the_changed_fields():
    fields = (FieldChange("unit", "s", "ms"), FieldChange("expr[A]", "a", "b"))
    root = parse(render_svg(dashboard(), [change("modified", panel_id=4, fields=fields)]))
    (latency,) = by_id(root, "panel", 4)
    assert latency.find(f"{SVG}title").text == "Latency | modified (unit: s → ms; expr[A]: a → b)"


def _moved_setup():
    old = dashboard()
    new = dashboard()
    new["panels"][3]["gridPos"] = {"x": 12, "y": 9, "w": 12, "h": 8}  # Latency: column 0 -> 12
    return old, new


@pytest.mark.parametrize("with_field", [True, False], ids=["gridPos-field", "old-dashboard"])
def test_moved_panel_has_an_arrow_from_its_old_position(with_field):
    old, new = _moved_setup()
    fields = (FieldChange("gridPos", old["panels"][3]["gridPos"], new["panels"][3]["gridPos"]),) if with_field else ()
    top = TOP + 22
    root = parse(render_svg(new, [change("moved", panel_id=4, fields=fields)], old))
    (panel,) = by_id(root, "panel", 4)
    assert panel.get("class") == "panel change-moved"
    assert rect_of(panel) == (604, top + 9 * 30 + 4, 592, 232)
    (ghost,) = by_id(root, "old-position", 4)
    assert [ghost.get(k) for k in ("x", "y", "data-x", "data-y")] == ["4", str(top + 274), "0", "9"]
    (arrow,) = by_id(root, "move-arrow", 4)
    # From the centre of the old box to the centre of the new one.
    assert [arrow.get(k) for k in ("x1", "y1", "x2", "y2")] == ["300", str(top + 390), "900", str(top + 390)]
    assert arrow.get("marker-end") == "url(#arrowhead)"


def test_moved_panel_without_any_old_position_is_still_marked():
    _, new = _moved_setup()
    root = parse(render_svg(new, [change("moved", panel_id=4)], None))
    assert by_id(root, "panel", 4)[0].get("class") == "panel change-moved"
    assert groups(root, "move-arrow") == []


def test_removed_panel_is_ghosted_at_its_old_place():
    old = dashboard()
    new = dashboard()
    del new["panels"][3]  # Latency is gone
    root = parse(render_svg(new, [change("removed", panel_id=4, panel_title="Latency")], old))
    (ghost,) = by_id(root, "panel", 4)
    assert ghost.get("class") == "panel ghost change-removed"
    assert rect_of(ghost) == (4, TOP + 22 + 9 * 30 + 4, 592, 232)
    assert len(groups(root, "panel")) == 3  # two live panels and the ghost
    assert [t.text for t in groups(root, "summary")] == ["1 removed"]


def test_change_inside_a_collapsed_row_marks_the_row():
    root = parse(render_svg(dashboard(), [change("modified", panel_id=7)]))
    (row,) = by_id(root, "row", 5)
    assert "contains-changes" in row.get("class").split() and row.get("data-changes") == "1"
    assert texts(row, "row-title") == ["Details  (2 panels)  · 1 changed inside"]


def test_variable_changes_mark_chips_and_removed_variables_are_listed():
    changes = [change("modified", scope="variable", name="job"), change("removed", scope="variable", name="env")]
    root = parse(render_svg(dashboard(), changes))
    chips = {v.get("data-name"): v.get("class") for v in groups(root, "variable")}
    assert chips == {"job": "variable change-modified", "env": "variable change-removed"}


def test_removed_dashboard_is_drawn_ghosted():
    board = dashboard()
    root = parse(render_svg(board, [change("removed", scope="dashboard")], board))
    assert root.get("class") == "dashboard change-removed"
    assert [t.text for t in groups(root, "summary")] == ["dashboard removed"]


def test_all_panels_includes_collapsed_children_in_order():
    assert [p["id"] for p in all_panels(dashboard())] == [1, 2, 3, 4, 5, 6, 7]


def test_fit_truncates_with_an_ellipsis_only_when_needed():
    assert fit("abcdef", 3 * 7.0) == "ab…"
    assert fit("abc", 3 * 7.0) == "abc"


def test_panel_without_a_grid_position_is_a_one_line_input_error():
    board = dashboard()
    del board["panels"][2]["gridPos"]["w"]
    with pytest.raises(
        InputError, match=r"dashboard 't-demo': panel 3 'Errors' has no gridPos with integer x, y, w, h"
    ):
        render_svg(board)


def test_null_titles_and_odd_targets_still_draw():
    board = dashboard()
    board["title"] = None
    board["panels"][1].update(title=None, targets=[{"refId": "A"}, {"refId": "B", "expr": "up"}])
    root = parse(render_svg(board))
    (stat,) = by_id(root, "panel", 2)
    assert texts(stat, "title") == [None] and "".join(texts(stat, "query")) == "B: up"


# -- foreign dashboards ---------------------------------------------------------------------------


def test_library_panel_references_are_drawn_with_their_name_or_uid():
    board = dashboard()
    grid = {"x": 0, "y": 30, "w": 6, "h": 4}
    board["panels"] += [
        {"id": 8, "gridPos": grid, "libraryPanel": {"uid": "lib-cpu", "name": "CPU busy"}},
        {"id": 9, "gridPos": dict(grid, x=6), "libraryPanel": {"uid": "lib-mem"}},
    ]
    root = parse(render_svg(board))
    (named,) = by_id(root, "panel", 8)
    (bare,) = by_id(root, "panel", 9)
    assert "library" in named.get("class").split() and named.get("data-library-uid") == "lib-cpu"
    assert texts(named, "title") == ["CPU busy"] and texts(named, "type") == ["library panel"]
    assert texts(bare, "title") == ["library panel lib-mem"]


def test_repeated_panels_and_rows_carry_a_marker():
    board = dashboard()
    board["panels"][1]["repeat"] = "instance"
    board["panels"][0]["repeat"] = "job"
    root = parse(render_svg(board))
    (stat,) = by_id(root, "panel", 2)
    (row,) = by_id(root, "row", 1)
    assert "repeat" in stat.get("class").split() and stat.get("data-repeat") == "instance"
    assert texts(stat, "type") == ["stat · reqps · repeats per $instance"]
    assert groups(stat, "repeat-stack")
    assert row.get("data-repeat") == "job" and "repeats per $job" in texts(row, "row-title")[0]


def test_collapsed_row_names_the_panels_it_hides():
    board = dashboard()
    board["panels"][4]["panels"][1]["repeat"] = "node"
    (row,) = by_id(parse(render_svg(board)), "row", 5)
    assert row.find(f"{SVG}title").text == "Details | Hidden A | Hidden B (repeats per $node)"


def test_null_panels_and_null_field_config_draw_the_rest():
    board = dashboard()
    board["panels"][1]["fieldConfig"] = None
    board["panels"].insert(0, None)
    board["templating"] = {"list": [None, {"name": "x", "current": None}]}
    root = parse(render_svg(board))
    assert len(groups(root, "panel")) == 3 and texts(by_id(root, "panel", 2)[0], "type") == ["stat"]


def test_legacy_rows_are_drawn_through_the_shared_model():
    from azora_dash.dashboard_file import load

    legacy = {
        "title": "old",
        "schemaVersion": 14,
        "rows": [
            {"title": "CPU", "showTitle": True, "panels": [{"id": 1, "type": "graph", "title": "load", "span": 6}]},
            {"title": "Disk", "collapse": True, "panels": [{"id": 2, "type": "graph", "title": "io", "span": 12}]},
        ],
    }
    root = parse(render_svg(load(legacy).dashboard))
    (graph,) = by_id(root, "panel", 1)
    assert graph.get("data-w") == "12" and [r.get("data-children") for r in groups(root, "row")] == [None, "1"]
