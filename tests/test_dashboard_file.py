"""dashboard_file: every form a user has reads as the same dashboard; bad files are one line, exit 2."""

from __future__ import annotations

import json

import pytest

from azora_dash.dashboard_file import REGENERATED, iter_panels, load, load_paths
from azora_dash.errors import InputError

from .conftest import ROOT, invoke

DASHBOARD = {
    "uid": "d1",
    "title": "D",
    "panels": [
        {"id": 1, "type": "timeseries", "title": "top", "targets": [{"refId": "A", "expr": "up"}]},
        {"id": 2, "type": "row", "title": "r", "collapsed": True, "panels": [{"id": 3, "type": "stat", "title": "in"}]},
    ],
    "templating": {"list": []},
}
FORMS = {
    "classic": DASHBOARD,
    "api": {"dashboard": DASHBOARD, "meta": {"version": 4, "folderUid": "f"}},
    "export": {**DASHBOARD, "__inputs": [{"name": "DS_PROMETHEUS", "type": "datasource", "pluginId": "prometheus"}]},
    "resource": {
        "apiVersion": "dashboard.grafana.app/v1beta1",
        "kind": "Dashboard",
        "metadata": {"name": "d1", "resourceVersion": "7"},
        "spec": {k: v for k, v in DASHBOARD.items() if k != "uid"},
    },
}


@pytest.mark.parametrize("form", FORMS)
def test_every_form_reads_as_the_bare_dashboard(tmp_path, form):
    path = tmp_path / "d.json"
    path.write_text(json.dumps(FORMS[form]), encoding="utf-8")
    f = load(path)
    assert (f.uid, f.form, f.source) == ("d1", form, str(path))
    assert [s.panel["title"] for s in iter_panels(f.dashboard)] == ["top", "r", "in"]


def test_walker_covers_nested_and_legacy_rows():
    legacy = {"rows": [{"title": "old", "panels": [{"id": 7, "type": "graph"}]}], "title": "L"}
    assert [(s.path, s.panel["id"]) for s in iter_panels(legacy)] == [("/rows/0/panels/0", 7)]
    # Loaded, the same file is Grafana's schema-16 result: panels with gridPos, no rows[].
    assert [(s.path, s.panel["id"]) for s in iter_panels(load(legacy).dashboard)] == [("/panels/0", 7)]
    paths = [s.path for s in iter_panels(DASHBOARD, rows=False)]
    assert paths == ["/panels/0", "/panels/1/panels/0"]


def test_null_containers_read_as_empty():
    f = load({"uid": "n", "title": "N", "panels": None, "templating": {"list": None}, "rows": None})
    assert f.dashboard["panels"] == [] and f.dashboard["templating"] == {"list": []} and f.dashboard["rows"] == []
    nested = load({"uid": "n", "panels": [{"type": "row", "panels": None, "targets": None}]}).dashboard
    assert nested["panels"][0]["panels"] == [] and nested["panels"][0]["targets"] == []


def test_regenerated_fields_are_grafanas_own():
    assert set(REGENERATED) == {"id", "version", "iteration"}


BAD = {
    "utf16.json": (json.dumps(DASHBOARD).encode("utf-16"), "UTF-16"),
    "latin1.json": ('{"title": "caf\xe9"}'.encode("latin-1"), "not UTF-8"),
    "array.json": (b"[1, 2]", "JSON array"),
    "truncated.json": (json.dumps(DASHBOARD)[:-20].encode(), "truncated"),
    "resource.json": (b'{"apiVersion": "v1", "kind": "Secret", "spec": {}}', "apiVersion v1 kind Secret"),
    "nothing.json": (b'{"foo": 1}', "not a Grafana dashboard"),
}


@pytest.mark.parametrize("name", BAD)
def test_bad_files_are_one_input_error(tmp_path, name):
    data, message = BAD[name]
    (tmp_path / name).write_bytes(data)
    with pytest.raises(InputError, match=message):
        load_paths([tmp_path / name])


COMMANDS = (["validate"], ["lint"], ["diff", "{other}"], ["preview", "--out", "{out}"], ["verify"], ["import"])


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("name", ["utf16.json", "array.json", "truncated.json"])
def test_every_command_refuses_a_bad_file_in_one_line_with_exit_2(tmp_path, command, name):
    (tmp_path / name).write_bytes(BAD[name][0])
    other = tmp_path / "ok.json"
    other.write_text(json.dumps(DASHBOARD), encoding="utf-8")
    args = [a.format(other=other, out=tmp_path / "out") for a in command]
    args = [
        args[0],
        *(["--out", str(tmp_path / "m.py")] if args[0] == "import" else []),
        str(tmp_path / name),
        *args[1:],
    ]
    result = invoke(args, 2, cwd=tmp_path)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and "Traceback" not in result.output, result.output


@pytest.mark.parametrize("command", [["validate"], ["lint"], ["diff", "{other}"]], ids=lambda c: c[0])
def test_an_api_export_reads_exactly_as_the_bare_dashboard(tmp_path, command):
    bare, wrapped = tmp_path / "bare" / "d.json", tmp_path / "wrapped" / "d.json"
    for path, doc in ((bare, DASHBOARD), (wrapped, FORMS["api"])):
        path.parent.mkdir()
        path.write_text(json.dumps(doc), encoding="utf-8")
    if command[0] == "diff":
        assert invoke(["diff", bare, wrapped, "--format", "json"]).output.strip().endswith('"changes": []\n}')
        return
    a = invoke([*command, bare, "--format", "json"], None if command[0] == "lint" else 1)
    b = invoke([*command, wrapped, "--format", "json"], a.exit_code)
    assert a.output.replace("/bare/", "/x/") == b.output.replace("/wrapped/", "/x/")


def test_lint_without_paths_sees_an_edited_module_before_any_build(tmp_path):
    dashboards = tmp_path / "dashboards"
    dashboards.mkdir()
    source = (ROOT / "dashboards" / "alerts.py").read_text()
    assert '"Alerts currently firing, by severity."' in source
    (dashboards / "alerts.py").write_text(source.replace('"Alerts currently firing, by severity."', '""', 1))
    result = invoke(["lint", "--dashboards", dashboards, "--format", "json"], None)
    problems = json.loads(result.output)["problems"]
    assert any(p["rule"] == "panel/title-description" and not p["suppressed"] for p in problems), problems
    assert not (tmp_path / "provisioning").exists()  # nothing was built or written


def test_legacy_rows_convert_as_grafanas_schema_16_migration():
    """Expected positions worked through DashboardMigrator.upgradeToGridLayout by hand.

    Row 1 (height 250px -> ceil(250 / 38) = 7 cells) holds spans 4 + 8 + 6: the third wraps to a
    second line of the row. Row 2 is collapsed, so its panel lives inside the row panel and the
    row takes no height; row 3's panel gives its own height (100px -> 3 cells).
    """
    rows = [
        {"title": "one", "showTitle": True, "height": "250px", "panels": [_p(1, 4), _p(2, 8), _p(3, 6)]},
        {"title": "two", "collapse": True, "panels": [_p(4, 12)]},
        {"title": "three", "height": 300, "panels": [{**_p(5, 3), "height": "100px"}], "repeat": "job"},
        {"title": "copy", "repeatIteration": 123, "panels": [_p(6, 12)]},
    ]
    d = load({"uid": "r", "title": "R", "schemaVersion": 14, "rows": rows}).dashboard
    assert "rows" not in d and d["schemaVersion"] == 16
    got = [(p.get("type"), p["id"], p["gridPos"]) for p in d["panels"]]
    assert got == [
        ("row", 7, {"x": 0, "y": 0, "w": 24, "h": 7}),
        ("graph", 1, {"x": 0, "y": 1, "w": 8, "h": 7}),
        ("graph", 2, {"x": 8, "y": 1, "w": 16, "h": 7}),
        ("graph", 3, {"x": 0, "y": 8, "w": 12, "h": 7}),
        ("row", 8, {"x": 0, "y": 15, "w": 24, "h": 7}),
        ("row", 9, {"x": 0, "y": 16, "w": 24, "h": 8}),
        ("graph", 5, {"x": 0, "y": 17, "w": 6, "h": 3}),
    ]
    collapsed = d["panels"][4]
    assert collapsed["collapsed"] is True and [p["id"] for p in collapsed["panels"]] == [4]
    assert collapsed["panels"][0]["gridPos"] == {"x": 0, "y": 16, "w": 24, "h": 7}
    assert all("span" not in p for p in d["panels"]) and d["panels"][5]["repeat"] == "job"


def test_rows_of_a_current_dashboard_are_left_alone():
    d = {"uid": "n", "title": "N", "schemaVersion": 39, "panels": [], "rows": []}
    assert load(d).dashboard is d


def _p(panel_id: int, span: int) -> dict:
    return {"id": panel_id, "type": "graph", "span": span}


def test_datasource_ref_resolves_variables_and_built_ins_and_keeps_names():
    from azora_dash.dashboard_file import datasource_ref

    dash = {"templating": {"list": [{"name": "loki", "type": "datasource", "query": "loki"}]}}
    assert datasource_ref("$loki", dash) == {"type": "loki", "uid": "$loki"}
    assert datasource_ref("${loki}", dash) == {"type": "loki", "uid": "${loki}"}
    assert datasource_ref("-- Mixed --", dash) == {"type": "datasource", "uid": "-- Mixed --"}
    assert datasource_ref("-- Grafana --", dash) == {"type": "datasource", "uid": "grafana"}
    assert datasource_ref("-- Dashboard --", dash) == {"type": "datasource", "uid": "-- Dashboard --"}
    # A name, an unknown variable, [[var]] (Grafana only resolves a leading "$") and refs stay as written.
    for kept in ("Metrics", "$nope", "[[loki]]", {"uid": "x"}, None):
        assert datasource_ref(kept, dash) == kept


# Every container the two null walks look at, at every depth they reach.
NULL_FIXTURE = {
    "uid": "z",
    "title": "Z",
    "tags": ["a"],
    "links": [{"title": "l"}],
    "templating": {"list": [{"name": "v"}]},
    "annotations": {"list": [{"name": "a"}]},
    "panels": [
        {
            "id": 1,
            "type": "timeseries",
            "gridPos": {"h": 1},
            "fieldConfig": {"defaults": {}},
            "targets": [{"expr": "up"}],
            "links": [{"url": "u"}],
            "tags": [],
            "templating": {"list": []},
        },
        {"id": 2, "type": "row", "panels": [{"id": 3, "targets": [{"expr": "x"}], "panels": [{"id": 4}]}]},
    ],
    "rows": [{"panels": [{"id": 5, "targets": [{"expr": "y"}]}], "rows": [{"panels": []}]}],
}


def _places(value, path=()):
    """Every (path) inside ``value`` where a member or list item could be null."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, inner in items:
        yield (*path, key)
        yield from _places(inner, (*path, key))


def _with_null(doc, path):
    doc = json.loads(json.dumps(doc))
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = None
    return doc


def _reference(doc):
    """What load did before it skipped the walks when no null could matter: both walks, always."""
    import azora_dash.dashboard_file as df

    try:
        dashboard = df._clean(doc)
        df._refuse_null_members(dashboard, "<dashboard>")
    except InputError as exc:
        return str(exc)
    return df.legacy_rows_to_panels(dashboard)


@pytest.mark.parametrize("path", list(_places(NULL_FIXTURE)), ids=lambda p: "/".join(map(str, p)))
def test_a_null_anywhere_loads_exactly_as_both_walks_read_it(path):
    doc = _with_null(NULL_FIXTURE, path)
    try:
        got = load(doc).dashboard
    except InputError as exc:
        got = str(exc)
    assert got == _reference(doc)
