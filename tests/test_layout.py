import grafanalib.core as G
import pytest

from azora_dash import panels as P
from azora_dash.layout import place


def box(w, h, title="p"):
    return P.stat(title, "d", "up", "none", w=w, h=h)


def test_panels_flow_and_wrap_on_the_24_column_grid():
    placed = place([("Row", [box(12, 4, "a"), box(8, 6, "b"), box(8, 4, "c")]), (None, [box(24, 2, "d")])])
    pos = [(p.title, p.gridPos.x, p.gridPos.y, p.gridPos.w, p.gridPos.h) for p in placed]
    assert pos == [("Row", 0, 0, 24, 1), ("a", 0, 1, 12, 4), ("b", 12, 1, 8, 6), ("c", 0, 7, 8, 4), ("d", 0, 11, 24, 2)]
    assert [p.id for p in placed] == [1, 2, 3, 4, 5]
    assert isinstance(placed[0], G.RowPanel)


def test_too_wide_panel_is_an_error():
    with pytest.raises(ValueError, match="25 columns wide"):
        place([(None, [box(25, 2, "wide")])])


def test_place_copies_panels_and_leaves_the_callers_unchanged():
    panel = box(12, 4, "a")
    placed = place([("Row", [panel]), (None, [panel])])
    assert (panel.id, panel.gridPos.x, panel.gridPos.y) == (None, 0, 0)
    assert [(p.id, p.gridPos.y) for p in placed] == [(1, 0), (2, 1), (3, 5)]
    assert placed[1] is not panel and placed[1].gridPos is not placed[2].gridPos
