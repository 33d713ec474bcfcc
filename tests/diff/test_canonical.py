"""Equivalent forms Grafana writes on a re-save are not changes; real changes inside lists are named by key."""

from __future__ import annotations

import copy

from azora_dash.diff.canonical import canonical
from azora_dash.diff.core import FieldChange, diff

PROM = {"type": "prometheus", "uid": "prom"}


def panel(**extra) -> dict:
    return {
        "id": 1,
        "type": "timeseries",
        "title": "up",
        "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
        "datasource": PROM,
        "targets": [{"refId": "A", "expr": "up"}],
        **extra,
    }


def board(*panels) -> dict:
    return {"u": {"uid": "u", "title": "U", "schemaVersion": 39, "panels": list(panels)}}


def fields(old: dict, new: dict) -> list[tuple]:
    return [(f.field, f.old, f.new) for c in diff(board(old), board(new)) for f in c.fields]


def test_resave_in_a_newer_grafana_is_no_change():
    old = panel(pluginVersion="10.4.0")
    new = panel(pluginVersion="12.0.0", targets=[{"refId": "A", "expr": "up", "datasource": PROM}])
    assert diff(board(old), board(new)) == []


def test_target_datasource_other_than_the_panels_is_a_change():
    new = panel(targets=[{"refId": "A", "expr": "up", "datasource": {"type": "prometheus", "uid": "other"}}])
    assert fields(panel(), new) == [("datasource[A]", PROM, {"type": "prometheus", "uid": "other"})]


def test_mixed_panel_targets_keep_their_own_datasource():
    mixed = {"type": "datasource", "uid": "-- Mixed --"}
    (target,) = canonical(board(panel(datasource=mixed))["u"])["panels"][0]["targets"]
    assert "datasource" not in target


def test_threshold_base_value_null_missing_or_a_number_is_one_base():
    def steps(base: dict) -> dict:
        thresholds = {"mode": "absolute", "steps": [{"color": "green", **base}, {"color": "red", "value": 80}]}
        return panel(fieldConfig={"defaults": {"thresholds": thresholds}, "overrides": []})

    assert diff(board(steps({})), board(steps({"value": None}))) == []
    assert diff(board(steps({"value": None})), board(steps({"value": -5}))) == []
    real = steps({})
    real["fieldConfig"]["defaults"]["thresholds"]["steps"][1]["value"] = 90
    assert [f[0] for f in fields(steps({}), real)] == ["thresholds"]


def test_panel_model_defaults_present_or_absent_are_one_panel():
    bare = panel()
    spelled = panel(transparent=False, options={}, fieldConfig={"defaults": {}, "overrides": []})
    assert diff(board(bare), board(spelled)) == []


def test_targets_without_refid_get_grafanas_letters_so_two_of_them_never_collide():
    old = panel(targets=[{"expr": "a"}, {"expr": "b"}])
    new = panel(targets=[{"expr": "a"}, {"expr": "b2"}])
    assert [t["refId"] for t in canonical(board(old)["u"])["panels"][0]["targets"]] == ["A", "B"]
    assert fields(old, new) == [("expr[B]", "b", "b2")]


def test_a_renamed_refid_is_one_change():
    target = {"refId": "A", "expr": "up", "legendFormat": "{{job}}", "interval": "1m", "format": "time_series"}
    new = panel(targets=[{**target, "refId": "Q"}])
    assert fields(panel(targets=[target]), new) == [("refId[A]", "A", "Q")]


def overrides(*names: str, color: str = "red") -> dict:
    rules = [
        {"matcher": {"id": "byName", "options": n}, "properties": [{"id": "color", "value": {"fixedColor": color}}]}
        for n in names
    ]
    return panel(fieldConfig={"defaults": {}, "overrides": rules})


def test_overrides_are_matched_by_matcher_and_reported_one_by_one():
    old, new = overrides("Cached", "Free", "Used"), overrides("Free", "Used")
    new["fieldConfig"]["overrides"][1]["properties"][0]["value"]["fixedColor"] = "blue"
    got = fields(old, new)
    assert [f[0] for f in got] == [
        "fieldConfig.overrides[byName=Cached]",
        "fieldConfig.overrides[byName=Used].properties[color].value.fixedColor",
    ]
    assert got[0][2] is None and got[1][1:] == ("red", "blue")


def test_reordered_overrides_are_one_order_change():
    got = fields(overrides("a", "b"), overrides("b", "a"))
    assert got == [("fieldConfig.overrides order", ["byName=a", "byName=b"], ["byName=b", "byName=a"])]


def test_transformations_by_id_and_links_by_position():
    old = panel(
        transformations=[{"id": "organize", "options": {"x": 1}}, {"id": "merge", "options": {}}],
        links=[{"title": "a", "url": "/a"}, {"title": "b", "url": "/b"}],
    )
    new = copy.deepcopy(old)
    new["transformations"][0]["options"]["x"] = 2
    new["links"][1]["url"] = "/c"
    assert fields(old, new) == [
        ("links[1].url", "/b", "/c"),
        ("transformations[organize].options.x", 1, 2),
    ]
    assert FieldChange("links[1].url", "/b", "/c") in diff(board(old), board(new))[0].fields
