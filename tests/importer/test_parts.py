"""The importer's building blocks: patches, source rendering, query catalogue, fixed-placement helpers."""

from __future__ import annotations

import ast

import grafanalib.core as G

from azora_dash import panels as P
from azora_dash import queries as Q
from azora_dash.build.normalize import normalize
from azora_dash.config import DEFAULT
from azora_dash.importer.catalog import catalogue
from azora_dash.importer.residual import dropped, leaves, patch
from azora_dash.importer.source import WIDTH, Call, Code, render


def test_patch_sets_changes_deletes_extras_and_is_type_strict():
    built = {"a": 1, "b": {"c": 1, "d": 2}, "e": [1], "f": 1.0, "g": {"x": 1}, "i": True}
    wanted = {"a": 1, "b": {"c": 3}, "e": [1, 2], "f": 1, "g": {}, "h": True, "i": 1}
    # Canonical JSON writes 1.0 as 1 (jsonio.canonical_numbers), so that is no change; True vs 1 is.
    expected = {"b": {"c": 3, "d": None}, "e": [1, 2], "g": {"x": None}, "h": True, "i": 1}
    assert patch(built, wanted) == expected
    assert patch(wanted, wanted) == {}


def test_leaves_and_dropped():
    assert leaves({"a": [1, 2], "b": {"c": 3}}) == 3
    assert dropped({"a": 1, "b": {"c": None, "d": 2}, "l": [{"x": 1}]}, {"b": {}, "l": [{}]}) == ["a", "b.d", "l[0].x"]


def test_render_is_valid_python_within_width_and_keeps_values():
    value = Call("f", Code("cfg"), "a" * 50, {"k": [1.0, 2, None, True], "s": "q'\"\n"}, w=3, more=list(range(30)))
    text = render(value)
    assert max(len(line) for line in text.splitlines()) <= WIDTH
    tree = ast.parse(text, mode="eval")
    assert ast.literal_eval(tree.body.args[2]) == {"k": [1.0, 2, None, True], "s": "q'\"\n"}
    assert render(Call("P.at", 0, 1, Call("g", "x"), id=2)) == "P.at(0, 1, g('x'), id=2)"


def test_catalogue_maps_each_helper_output_back_to_its_call():
    cat = catalogue(DEFAULT)
    assert render(cat[Q.request_rate(DEFAULT, by=())]) == "Q.request_rate(cfg, by=())"
    assert render(cat[Q.latency_quantile(DEFAULT, 0.99)]) == "Q.latency_quantile(cfg, 0.99)"
    # The catalogue follows the config: other job names, other strings.
    other = DEFAULT.evolve(auth_job="azora-login")
    assert Q.logins_rate(other) in catalogue(other) and Q.logins_rate(other) not in cat


def _panel(obj) -> dict:
    return normalize({"panels": [obj]}, DEFAULT)["panels"][0]


def test_at_pins_position_and_keeps_size():
    panel = _panel(P.at(6, 9, P.stat("t", "d", "up", "none", w=3, h=2), id=7))
    assert panel["gridPos"] == {"h": 2, "w": 3, "x": 6, "y": 9} and panel["id"] == 7


def test_extra_merges_and_none_removes():
    panel = _panel(
        P.extra(P.stat("t", "d", "up", "none"), {"description": None, "fieldConfig": {"defaults": {"decimals": 1}}})
    )
    assert "description" not in panel and panel["fieldConfig"]["defaults"]["decimals"] == 1
    assert panel["fieldConfig"]["defaults"]["unit"] == "none"  # the rest of the builder's output is kept


def test_carried_panel_and_extended_dashboard():
    panel = _panel(P.at(0, 3, P.carried({"type": "my-plugin", "options": {"x": 1}}, w=4, h=5), id=9))
    assert panel == {"gridPos": {"h": 5, "w": 4, "x": 0, "y": 3}, "id": 9, "options": {"x": 1}, "type": "my-plugin"}
    dash = normalize(P.Extended(G.Dashboard(title="t", uid="u"), {"weekStart": "monday", "description": None}), DEFAULT)
    assert dash["weekStart"] == "monday" and "description" not in dash and dash["title"] == "t"
