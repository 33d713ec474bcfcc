import grafanalib.core as G
import pytest

from azora_dash import panels as P
from azora_dash.layout import V2_KEY, place


def box(w, h, title="p"):
    return P.stat(title, "d", "up", "none", w=w, h=h)


def test_panels_flow_and_wrap_on_the_24_column_grid():
    placed = place([("Row", [box(12, 4, "a"), box(8, 6, "b"), box(8, 4, "c")]), (None, [box(24, 2, "d")])])
    pos = [(p.title, p.gridPos.x, p.gridPos.y, p.gridPos.w, p.gridPos.h) for p in placed]
    assert pos == [("Row", 0, 0, 24, 1), ("a", 0, 1, 12, 4), ("b", 12, 1, 8, 6), ("c", 0, 7, 8, 4), ("d", 0, 11, 24, 2)]
    assert len({p.id for p in placed}) == 5
    assert isinstance(placed[0], G.RowPanel)


def test_too_wide_panel_is_an_error():
    with pytest.raises(ValueError, match="25 columns wide"):
        place([(None, [box(25, 2, "wide")])])


def test_place_copies_panels_and_leaves_the_callers_unchanged():
    panel = box(12, 4, "a")
    placed = place([("Row", [panel]), (None, [panel])])
    assert (panel.id, panel.gridPos.x, panel.gridPos.y) == (None, 0, 0)
    assert [p.gridPos.y for p in placed] == [0, 1, 5]
    assert len({p.id for p in placed}) == 3  # the same title twice still gets two ids
    assert placed[1] is not panel and placed[1].gridPos is not placed[2].gridPos


def ids(sections) -> dict[str, int]:
    return {p.title: p.id for p in place(sections)}


def test_panel_ids_do_not_move_when_others_are_added_removed_or_reordered():
    before = ids([("Row", [box(12, 4, "a"), box(12, 4, "b")]), ("Other", [box(24, 4, "c")])])
    inserted = ids([("Row", [box(12, 4, "new"), box(12, 4, "a"), box(12, 4, "b")]), ("Other", [box(24, 4, "c")])])
    removed = ids([("Row", [box(12, 4, "b")]), ("Other", [box(24, 4, "c")])])
    reordered = ids([("Other", [box(24, 4, "c")]), ("Row", [box(12, 4, "b"), box(12, 4, "a")])])
    for after in (inserted, removed, reordered):
        assert {t: i for t, i in after.items() if t in before} == {t: before[t] for t in after if t in before}
    assert all(0 < i < 2**31 for i in inserted.values())


def test_a_pinned_id_is_kept_and_ids_stay_unique():
    placed = ids([(None, [P.pin_id(box(12, 4, "renamed"), 7), box(12, 4, "b")])])
    assert placed["renamed"] == 7 and placed["b"] != 7
    with pytest.raises(ValueError, match="pins id 7, which another panel pins too"):
        place([(None, [P.pin_id(box(12, 4, "a"), 7), P.pin_id(box(12, 4, "b"), 7)])])


def test_tabs_place_like_rows_and_mark_each_row_as_a_tab():
    plain = place([("Logs", [box(12, 4, "a")]), ("Traces", [box(24, 4, "b")])])
    tabbed = place(P.tabs(("Logs", [box(12, 4, "a")]), ("Traces", [box(24, 4, "b")])))
    assert [(p.title, p.id, p.gridPos) for p in tabbed] == [(p.title, p.id, p.gridPos) for p in plain]
    assert [p.extraJson for p in tabbed if isinstance(p, G.RowPanel)] == [{V2_KEY: {"tab": True}}] * 2
    assert all(p.extraJson is None for p in plain if isinstance(p, G.RowPanel))


def test_a_section_with_a_condition_marks_its_row_with_a_show_group():
    (row, _) = place([P.section("Postgres", [box(12, 4, "a")], when=P.when("job", "postgres.*", op="matches"))])
    group = row.extraJson[V2_KEY]["when"]
    assert group["kind"] == "ConditionalRenderingGroup"
    assert (group["spec"]["visibility"], group["spec"]["condition"]) == ("show", "and")
    assert group["spec"]["items"] == [
        {
            "kind": "ConditionalRenderingVariable",
            "spec": {"variable": "job", "operator": "matches", "value": "postgres.*"},
        }
    ]


def test_tabs_beside_rows_or_untitled_and_bad_operators_are_errors():
    with pytest.raises(ValueError, match="section 'Other' is not a tab, but others are"):
        place([*P.tabs(("Logs", [box(12, 4, "a")])), ("Other", [box(12, 4, "b")])])
    with pytest.raises(ValueError, match="needs a title"):
        place(P.tabs((None, [box(12, 4, "a")])))
    with pytest.raises(ValueError, match="operator 'like' is not one of equals, notEquals, matches, notMatches"):
        P.when("job", "api", op="like")
    with pytest.raises(ValueError, match="a tab cannot be collapsed"):
        P.row("r", collapsed=True, tab=True)
