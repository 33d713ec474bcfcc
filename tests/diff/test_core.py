"""Semantic diff: matching, noise rules, ordering and loading (rendering is in test_diff_render)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from azora_dash.diff.core import Change, ChangeType, FieldChange, diff, load_dashboards
from azora_dash.errors import InputError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "diff"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())

# What each fixture pair must produce, written by hand: (kind, scope, panel id or variable name, fields).
EXPECTED = {
    "dashboard_added": [("added", "dashboard", None, [])],
    "dashboard_removed": [("removed", "dashboard", None, [])],
    # Every surviving panel's id moved: each is reported, since each breaks a link.
    "ids_shifted": [
        ("modified", "panel", 2, ["id"]),
        ("added", "panel", 2, ["expr[A]"]),
        ("modified", "panel", 3, ["id"]),
        ("moved", "panel", 3, ["gridPos"]),
        ("modified", "panel", 4, ["id"]),
        ("moved", "panel", 4, ["gridPos"]),
        ("modified", "panel", 5, ["id"]),
        ("moved", "panel", 5, ["gridPos"]),
        ("modified", "panel", 6, ["id"]),
        ("moved", "panel", 6, ["gridPos"]),
    ],
    "noop_reorder": [],
    "panel_added": [
        ("moved", "panel", 4, ["gridPos"]),
        ("moved", "panel", 5, ["gridPos"]),
        ("added", "panel", 6, ["expr[A]"]),
    ],
    "panel_modified": [
        ("modified", "panel", 3, ["datasource", "description", "options.legend.placement", "title", "type", "unit"])
    ],
    "panel_moved": [("moved", "panel", 2, ["gridPos"]), ("moved", "panel", 3, ["gridPos"])],
    "panel_moved_row": [("moved", "panel", 3, ["gridPos", "row"])],
    "panel_removed": [("removed", "panel", 3, [])],
    "query_changed": [("modified", "panel", 2, ["expr[A]", "legend[A]", "expr[B]", "legend[B]"])],
    "threshold_changed": [("modified", "panel", 5, ["thresholds"])],
    "variable_changed": [
        ("removed", "variable", "instance", []),
        ("modified", "variable", "job", ["query"]),
        ("added", "variable", "route", []),
    ],
}


def load_case(name: str):
    return load_dashboards(FIXTURES / name / "old"), load_dashboards(FIXTURES / name / "new")


def summary(changes: list[Change]):
    return [
        (c.kind.value, c.scope, c.name if c.scope == "variable" else c.panel_id, [f.field for f in c.fields])
        for c in changes
    ]


def test_every_fixture_has_expectations():
    assert sorted(EXPECTED) == CASES


@pytest.mark.parametrize("case", CASES)
def test_fixture_pair_gives_expected_changes(case):
    assert summary(diff(*load_case(case))) == EXPECTED[case]


def test_query_change_carries_old_and_new_promql():
    changes = diff(*load_case("query_changed"))
    expr = next(f for f in changes[0].fields if f.field == "expr[A]")
    assert expr.old == 'sum by (job) (rate(http_requests_total{job=~"$job"}[$__rate_interval]))'
    assert expr.new == 'sum by (job, route) (rate(http_requests_total{job=~"$job"}[$__rate_interval]))'
    added = next(f for f in changes[0].fields if f.field == "expr[B]")
    assert added.old is None and added.new.startswith("sum(rate(")


def test_row_move_names_both_rows():
    (change,) = diff(*load_case("panel_moved_row"))
    assert FieldChange("row", "Traffic", "Saturation") in change.fields


def dashboard(**extra) -> dict:
    panel = {
        "id": 1,
        "type": "stat",
        "title": "Up",
        "gridPos": {"h": 4, "w": 6, "x": 0, "y": 0},
        "fieldConfig": {"defaults": {"unit": "short", "decimals": 1.0}},
        "targets": [{"refId": "A", "expr": "up"}],
    }
    return {"uid": "u", "title": "U", "panels": [panel], **extra}


def test_ignores_id_version_iteration_key_order_and_float_formatting():
    old = dashboard(id=1, version=1, iteration=5)
    new = json.loads(json.dumps(dashboard(id=7, version=9, iteration=6), sort_keys=True))
    new["panels"][0]["fieldConfig"]["defaults"]["decimals"] = 1
    assert diff({"u": old}, {"u": new}) == []


def test_panel_both_moved_and_modified_gives_two_changes():
    old, new = dashboard(), dashboard()
    new["panels"][0]["gridPos"]["y"] = 4
    new["panels"][0]["targets"][0]["expr"] = "up == 1"
    kinds = [(c.kind, [f.field for f in c.fields]) for c in diff({"u": old}, {"u": new})]
    assert kinds == [(ChangeType.MODIFIED, ["expr[A]"]), (ChangeType.MOVED, ["gridPos"])]


def test_renamed_panel_is_matched_by_id():
    old, new = dashboard(), dashboard()
    new["panels"][0]["title"] = "Targets up"
    (change,) = diff({"u": old}, {"u": new})
    assert (change.kind, change.panel_title, change.fields) == (
        ChangeType.MODIFIED,
        "Targets up",
        (FieldChange("title", "Up", "Targets up"),),
    )


def test_panels_without_ids_match_by_title():
    old, new = dashboard(), dashboard()
    for d in (old, new):
        del d["panels"][0]["id"]
    new["panels"][0]["fieldConfig"]["defaults"]["unit"] = "percent"
    (change,) = diff({"u": old}, {"u": new})
    assert (change.panel_title, change.fields) == ("Up", (FieldChange("unit", "short", "percent"),))


def test_dashboard_level_fields_are_reported_with_paths():
    old, new = (
        dashboard(refresh="30s", time={"from": "now-6h", "to": "now"}),
        dashboard(refresh="1m", time={"from": "now-1h", "to": "now"}),
    )
    (change,) = diff({"u": old}, {"u": new})
    assert change.scope == "dashboard" and [f.field for f in change.fields] == ["refresh", "time.from"]


def test_order_is_deterministic_whatever_the_input_order():
    old, new = load_case("variable_changed")
    extra_old, extra_new = load_case("query_changed")
    a = {**old, "z": {**extra_old["svc"], "uid": "z"}, "a": {**extra_old["svc"], "uid": "a"}}
    b = {"a": {**extra_new["svc"], "uid": "a"}, **new, "z": {**extra_new["svc"], "uid": "z"}}
    first = diff(a, b)
    reversed_inputs = diff(dict(reversed(list(a.items()))), dict(reversed(list(b.items()))))
    assert first == reversed_inputs
    assert [c.dashboard_uid for c in first] == ["a", "svc", "svc", "svc", "z"]


def test_collapsed_row_children_are_compared():
    old, new = load_case("threshold_changed")
    assert old["svc"]["panels"][3]["collapsed"] is True
    (change,) = diff(old, new)
    assert change.panel_title == "CPU"


def test_change_to_dict_is_plain_json():
    changes = diff(*load_case("query_changed"))
    data = json.loads(json.dumps([c.to_dict() for c in changes]))
    assert data[0]["kind"] == "modified" and data[0]["fields"][0]["field"] == "expr[A]"


# -- loading ------------------------------------------------------------------------------------


def test_load_accepts_api_envelope_and_resources(tmp_path):
    one = dashboard()
    (tmp_path / "envelope.json").write_text(json.dumps({"dashboard": one, "meta": {"version": 3}}))
    other = {k: v for k, v in copy.deepcopy(one).items() if k != "uid"}
    resource = {"apiVersion": "dashboard.grafana.app/v1", "kind": "Dashboard", "metadata": {"name": "v"}, "spec": other}
    (tmp_path / "resource.json").write_text(json.dumps(resource))
    assert sorted(load_dashboards(tmp_path)) == ["u", "v"]
    assert list(load_dashboards(tmp_path / "envelope.json")) == ["u"]
    assert load_dashboards(tmp_path / "resource.json")["v"]["panels"] == one["panels"]


def test_a_dashboard_without_uid_is_keyed_by_its_file_name(tmp_path):
    (tmp_path / "exported.json").write_text(json.dumps({"title": "no uid", "panels": []}))
    assert list(load_dashboards(tmp_path)) == ["exported"]


@pytest.mark.parametrize(
    "content, message",
    [
        ({"foo": 1}, "not a Grafana dashboard"),
        ([1, 2], "not a Grafana dashboard: a JSON array"),
        ({"apiVersion": "v1", "kind": "ConfigMap"}, "not a Grafana dashboard: apiVersion v1 kind ConfigMap"),
    ],
)
def test_load_rejects_non_dashboards(tmp_path, content, message):
    (tmp_path / "x.json").write_text(json.dumps(content))
    with pytest.raises(InputError, match=message):
        load_dashboards(tmp_path)


def test_load_rejects_duplicate_uids_naming_both_files(tmp_path):
    for name in ("a.json", "b.json"):
        (tmp_path / name).write_text(json.dumps(dashboard()))
    with pytest.raises(InputError) as err:
        load_dashboards(tmp_path)
    assert "b.json" in str(err.value) and "a.json" in str(err.value) and "duplicate dashboard uid 'u'" in str(err.value)


def test_load_missing_path(tmp_path):
    with pytest.raises(InputError, match="no such file or directory"):
        load_dashboards(tmp_path / "nope")


def test_loading_leaves_the_garbage_collector_as_it_was(tmp_path):
    import gc

    (tmp_path / "bad.json").write_text("{")
    assert gc.isenabled()
    with pytest.raises(InputError, match="invalid JSON"):
        load_dashboards(tmp_path)
    assert gc.isenabled()


def test_legacy_rows_with_targets_without_refid_report_every_changed_query():
    # Thanos' store.json shape: rows[], several targets per panel and no refIds (issue 17's 18 changes).
    def legacy(interval: str) -> dict:
        targets = [{"expr": f"rate(a[{interval}])"}, {"expr": f"rate(b[{interval}])"}, {"expr": "c"}]
        graph = {"id": 1, "type": "graph", "title": "Rate", "span": 12, "targets": targets}
        return {"uid": "t", "title": "T", "schemaVersion": 14, "rows": [{"title": "R", "panels": [graph]}]}

    from azora_dash.dashboard_file import load

    old, new = load(legacy("$interval")).dashboard, load(legacy("$__rate_interval")).dashboard
    (change,) = diff({"t": old}, {"t": new})
    assert [f.field for f in change.fields] == ["expr[A]", "expr[B]"]


def test_variable_options_are_matched_by_value():
    def var(*values: str) -> dict:
        return {
            "name": "env",
            "type": "custom",
            "options": [{"text": v, "value": v, "selected": False} for v in values],
        }

    old = {"uid": "u", "title": "U", "templating": {"list": [var("dev", "prod")]}}
    new = {"uid": "u", "title": "U", "templating": {"list": [var("qa", "dev", "prod")]}}
    (change,) = diff({"u": old}, {"u": new})
    assert [f.field for f in change.fields] == ["options[qa]"]
