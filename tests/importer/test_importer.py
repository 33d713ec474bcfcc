"""azora_dash.importer: imports rebuild their source exactly, through the normal compile path."""

from __future__ import annotations

import ast
import json
import re

import pytest

from azora_dash.build.compile import compile_module
from azora_dash.build.project import render
from azora_dash.config import DEFAULT
from azora_dash.diff.core import diff
from azora_dash.errors import InputError
from azora_dash.importer import ImportFailed, import_dashboard, normalised
from azora_dash.jsonio import dumps

from ..conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "import"
OWN = {c.uid: c.dashboard for c in render(DEFAULT, ROOT / "dashboards")[0]}


def round_trip(tmp_path, data: dict, name: str = "dash") -> tuple[str, dict]:
    """Import, write the module, compile it like `azora-dash build` does; return (source, dashboard)."""
    source = import_dashboard(data, DEFAULT, f"{name}.json")
    path = tmp_path / f"{name}.py"
    path.write_text(source)
    return source, compile_module(path, DEFAULT).dashboard


def assert_same(built: dict, original: dict) -> None:
    """The rebuilt module equals the input in the model the build emits, canonical JSON and
    semantic diff alike. Fields the model drops (legacy keys, nulls) are listed in the module's
    header comment by the importer, so comparing normalised forms hides nothing silently."""
    expected = normalised(original, DEFAULT)
    assert dumps(normalised(built, DEFAULT)) == dumps(expected)
    assert diff({original["uid"]: expected}, {built["uid"]: built}) == []


# The importer has no builder for Loki panels (P.logs, datasource=P.loki(cfg)) yet: that
# dashboard round-trips exactly, but as carried JSON.
LOKI_PANELS = {"azora-logs-traces"}


@pytest.mark.parametrize("uid", sorted(OWN))
def test_own_dashboards_come_back_in_house_style(tmp_path, uid):
    source, built = round_trip(tmp_path, json.loads(dumps(OWN[uid])), uid)
    assert_same(built, OWN[uid])
    if uid in LOKI_PANELS:
        return
    # Flowing sections and query helpers, nothing carried and no literal PromQL.
    assert "P.dashboard(" in source and "P.at(" not in source
    assert "P.extra(" not in source and "P.carried(" not in source and "Carried over" not in source
    strings = [n.value for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert not [s for s in strings if '="' in s or '=~"' in s]  # no literal label matchers


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("*.json")))
def test_real_world_shapes_round_trip(tmp_path, fixture):
    data = json.loads((FIXTURES / fixture).read_text())
    source, built = round_trip(tmp_path, data, fixture.removesuffix(".json"))
    assert_same(built, data)
    assert "P.at(" in source  # hand-drawn layouts keep their positions
    ast.parse(source)
    assert max(len(line) for line in source.splitlines() if not line.startswith("#") and "'" not in line) <= 110


def _fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def _panels(dashboard: dict):
    for panel in dashboard["panels"]:
        yield panel
        yield from panel.get("panels", [])


def test_unknown_plugin_is_carried_verbatim_and_listed(tmp_path):
    data = _fixture("redis_postgres.json")
    source, built = round_trip(tmp_path, data)
    polystat = next(p for p in _panels(built) if p["type"] == "grafana-polystat-panel")
    original = next(p for p in data["panels"] if p["type"] == "grafana-polystat-panel")
    assert polystat["options"] == original["options"] and polystat["pluginVersion"] == "2.1.4"
    assert "'Clients (polystat)' (grafana-polystat-panel): whole panel kept as JSON - unknown plugin" in source


def test_collapsed_rows_keep_their_panels_and_legacy_graphs_stay_graphs(tmp_path):
    data = _fixture("cadvisor.json")
    _, built = round_trip(tmp_path, data)
    row = next(p for p in built["panels"] if p.get("collapsed"))
    assert [p["title"] for p in row["panels"]] == ["Memory usage", "Received network traffic"]
    assert [p["type"] for p in row["panels"]] == ["graph", "graph"]
    assert row["panels"][0]["gridPos"] == {"h": 7, "w": 12, "x": 0, "y": 13}


def test_variables_annotations_links_and_dashboard_fields_survive(tmp_path):
    data = _fixture("redis_postgres.json")
    source, built = round_trip(tmp_path, data)
    assert [v["type"] for v in built["templating"]["list"]] == ["datasource", "query", "custom", "interval", "constant"]
    assert built["annotations"]["list"][1]["expr"].startswith("changes(redis_start_time_seconds")
    assert built["links"] == data["links"] and built["weekStart"] == "monday" and built["liveNow"] is False
    assert "dashboard: extra JSON liveNow" in source
    # Interval variables' auto* fields are Grafana's (auto interval), not grafanalib noise: kept.
    interval = next(v for v in built["templating"]["list"] if v["type"] == "interval")
    source_interval = next(v for v in data["templating"]["list"] if v["type"] == "interval")
    assert {k: interval.get(k) for k in ("auto", "auto_min", "auto_count")} == {
        k: source_interval.get(k) for k in ("auto", "auto_min", "auto_count")
    }
    assert "Not carried" not in source


def test_a_builder_with_a_small_patch_is_kept_with_extra_json(tmp_path):
    data = json.loads(dumps(OWN["azora-api-gateway"]))
    stat = data["panels"][1]
    stat["fieldConfig"]["defaults"]["decimals"] = 2
    del stat["description"]
    source, built = round_trip(tmp_path, data)
    assert_same(built, data)
    assert "P.dashboard(" in source and "P.extra(" in source and "P.stat('Request rate', ''" in source
    assert "'decimals': 2" in source and "'Request rate' (stat): extra JSON description (unset)" in source


def test_grafana_saved_gauges_become_builder_calls_with_extra_json(tmp_path):
    data = _fixture("node_exporter_full.json")
    source, built = round_trip(tmp_path, data)
    assert_same(built, data)
    for kind in ("gauge", "bargauge"):
        assert f"P.{kind}(" in source and f"({kind}): extra JSON" in source
        assert f"({kind}): whole panel kept as JSON" not in source


def test_queries_use_helpers_only_on_an_exact_match(tmp_path):
    data = json.loads(dumps(OWN["azora-system-overview"]))
    cpu = next(p for p in data["panels"] if p["title"] == "CPU usage")
    cpu["targets"][0]["expr"] = cpu["targets"][0]["expr"].replace("idle", "iowait")
    source, built = round_trip(tmp_path, data)
    assert_same(built, data)
    assert 'mode=\\"iowait\\"' in source or 'mode="iowait"' in source
    assert "Q.node_memory_usage(cfg)" in source  # the untouched panels still use helpers


@pytest.mark.parametrize(
    "data, message",
    [
        ([1, 2], "not a Grafana dashboard"),
        ({"panels": []}, "not a Grafana dashboard"),
        ({"title": "x", "panels": [1]}, '"panels" must be a list of panel objects'),
        ({"title": "x", "panels": [], "templating": "bad"}, '"templating" must be an object'),
        ({"title": "x", "panels": [{"panels": [{"targets": "up"}]}]}, '"panels[0].panels[0].targets" must be a list'),
    ],
)
def test_non_dashboards_are_refused_with_one_line(data, message):
    with pytest.raises(InputError, match=re.escape(message)) as err:
        import_dashboard(data, DEFAULT, "in.json")
    assert "\n" not in str(err.value) and "in.json" in str(err.value)


def test_grafana_api_answer_is_unwrapped(tmp_path):
    data = {"dashboard": json.loads(dumps(OWN["azora-alerts"])), "meta": {"slug": "alerts"}}
    _, built = round_trip(tmp_path, data)
    assert_same(built, OWN["azora-alerts"])


def test_missing_uid_gets_one_from_the_title(tmp_path):
    data = _fixture("cadvisor.json")
    del data["uid"]
    _, built = round_trip(tmp_path, data)
    assert built["uid"] == "azora-docker-containers-cadvisor"


def test_a_module_that_would_differ_is_never_returned(monkeypatch):
    from azora_dash import importer
    from azora_dash.importer.source import Call

    monkeypatch.setattr(importer, "dashboard", lambda ctx, wanted: Call("G.Dashboard", title="other", uid="x"))
    with pytest.raises(ImportFailed, match="does not rebuild the dashboard exactly"):
        import_dashboard(_fixture("cadvisor.json"), DEFAULT, "c.json")


def test_odd_but_loadable_panels_are_carried_not_crashed_on(tmp_path):
    odd = {
        "title": "odd",
        "uid": "odd",
        "panels": [
            {
                "type": "timeseries",
                "id": "7",
                "options": [],
                "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4},
                "fieldConfig": {"defaults": {"custom": []}},
                "targets": [{"expr": 5, "refId": "A"}],
            },
            {"type": "row", "title": 5, "gridPos": {"x": 0, "y": 4, "w": 24, "h": 1}, "panels": []},
            {"type": "text", "title": "no position", "id": 3},
        ],
    }
    _, built = round_trip(tmp_path, odd)
    assert_same(built, odd)
    assert built["panels"][0]["id"] == "7" and "gridPos" not in built["panels"][2] and built["panels"][2]["id"] == 3


def test_titles_and_names_cannot_break_the_module(tmp_path):
    data = {
        "title": 'evil """ \\ \n title',
        "uid": "evil",
        "panels": [{"type": "text", "title": "a\nb", "id": 1}],
        "templating": {"list": [{"name": "x\ny", "type": "custom", "query": "a"}]},
    }
    source = import_dashboard(data, DEFAULT, 'f"""\\.json')
    tree = ast.parse(source)
    assert ast.get_docstring(tree) == 'evil """ \\ title: imported from f"""\\.json by `azora-dash import`.'


def _mutations(seed: int, count: int):
    """Fixtures with one to three values replaced by junk or deleted (a small, fixed-seed fuzz)."""
    import copy
    import random

    rng = random.Random(seed)
    fixtures = [json.loads(p.read_text()) for p in sorted(FIXTURES.glob("*.json"))]
    junk = [None, 0, 1.5, "x", [], {}, True, [1], {"a": 1}]

    def slots(obj):
        items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else ()
        for key, value in items:
            yield obj, key
            yield from slots(value)

    for _ in range(count):
        data = copy.deepcopy(rng.choice(fixtures))
        places = list(slots(data))
        for _ in range(rng.randint(1, 3)):
            parent, key = rng.choice(places)
            if isinstance(parent, dict) and rng.random() < 0.3:
                parent.pop(key, None)
            else:
                parent[key] = rng.choice(junk)
        yield data


def test_damaged_dashboards_import_exactly_or_fail_with_one_line():
    imported = refused = 0
    for data in _mutations(seed=7, count=30):
        try:
            import_dashboard(data, DEFAULT, "f.json")  # checks its own round trip before returning
            imported += 1
        except InputError as err:
            assert "\n" not in str(err) and str(err).startswith("f.json: ")
            refused += 1
    assert imported and refused  # both paths were exercised


# A non-Prometheus target: for Elasticsearch/OpenSearch, InfluxDB, Graphite and OpenTSDB these
# fields are the query itself; Grafana's own defaults differ from grafanalib's (maxDataPoints).
FOREIGN_PANEL = {
    "id": 3,
    "type": "table-old",
    "title": "hits",
    "gridPos": {"h": 8, "w": 12, "x": 0, "y": 0},
    "datasource": {"type": "elasticsearch", "uid": "es"},
    "maxDataPoints": 100,
    "cacheTimeout": "60",
    "intervalFactor": 2,
    "styles": [{"pattern": "Time", "type": "date"}],
    "columns": [{"text": "Current", "value": "current"}],
    "color": {"mode": "spectrum"},
    "targets": [{"refId": "A", "query": "status:500", "metric": "m", "target": "t", "step": 10, "intervalFactor": 1}],
}


def test_imported_json_keeps_every_field_grafana_reads(tmp_path):
    data = {"uid": "es", "title": "ES", "schemaVersion": 27, "panels": [FOREIGN_PANEL]}
    data["templating"] = {
        "list": [
            {"type": "interval", "name": "iv", "query": "1m,5m", "auto": True, "auto_min": "10s", "auto_count": 30}
        ]
    }
    source, built = round_trip(tmp_path, json.loads(dumps(data)))
    panel = built["panels"][0]
    for key in ("maxDataPoints", "cacheTimeout", "intervalFactor", "styles", "columns", "color"):
        assert panel[key] == FOREIGN_PANEL[key], key
    assert panel["targets"] == FOREIGN_PANEL["targets"]
    assert built["templating"]["list"][0]["auto_count"] == 30 and built["templating"]["list"][0]["auto"] is True
    # Grafana migrates from the version the file states; stamping 41 would skip migrations 28..41.
    assert built["schemaVersion"] == 27
    assert "Not carried" not in source


def test_legacy_rows_are_imported_as_row_panels(tmp_path):
    data = {
        "uid": "old",
        "title": "Old",
        "schemaVersion": 14,
        "rows": [
            {"title": "A", "showTitle": True, "height": "250px", "panels": [{"id": 1, "type": "graph", "span": 6}]},
            {"title": "B", "collapse": True, "panels": [{"id": 2, "type": "singlestat", "span": 12}]},
        ],
    }
    _, built = round_trip(tmp_path, data)
    assert [(p["type"], p.get("title")) for p in built["panels"]] == [("row", "A"), ("graph", None), ("row", "B")]
    assert built["schemaVersion"] == 16 and "rows" not in built
    assert built["panels"][2]["panels"][0]["gridPos"] == {"x": 0, "y": 9, "w": 24, "h": 7}


def test_a_long_title_gives_a_uid_grafana_accepts(tmp_path):
    title = "A very long dashboard title that people really do write sometimes"
    _, built = round_trip(tmp_path, {"title": title, "panels": []})
    _, other = round_trip(tmp_path, {"title": title + " too", "panels": []}, "other")
    assert len(built["uid"]) <= 40 and built["uid"].startswith("azora-a-very-long-dashboard")
    assert built["uid"] != other["uid"]  # the hash tells titles with the same beginning apart


def test_legacy_string_datasources_become_the_refs_grafana_makes_of_them(tmp_path):
    data = {
        "uid": "ds",
        "title": "ds",
        "templating": {"list": [{"name": "loki", "type": "datasource", "query": "loki"}]},
        "panels": [
            {"id": 1, "type": "logs", "datasource": "$loki", "targets": [{"refId": "A", "expr": "{a=1}"}]},
            {
                "id": 2,
                "type": "timeseries",
                "datasource": "-- Mixed --",
                "targets": [{"refId": "A", "datasource": "Metrics"}],
            },
        ],
    }
    _, built = round_trip(tmp_path, data)
    assert built["panels"][0]["datasource"] == {"type": "loki", "uid": "$loki"}  # not {"type": "prometheus"}
    assert built["panels"][1]["datasource"] == {"type": "datasource", "uid": "-- Mixed --"}
    assert built["panels"][1]["targets"][0]["datasource"] == "Metrics"  # a name: only Grafana can resolve it


def test_every_panel_is_reported_as_a_builder_call_or_json_with_a_grouped_reason(tmp_path):
    from azora_dash.importer import import_to_file

    own = import_to_file(json.loads(dumps(OWN["azora-api-gateway"])), "own.json", tmp_path / "own.py", DEFAULT)
    assert own.panels["json"] == 0 and own.panels["builder_calls"] == len(list(_panels(OWN["azora-api-gateway"])))
    data = _fixture("redis_postgres.json")
    report = import_to_file(data, "r.json", tmp_path / "r.py", DEFAULT).panels
    assert report["builder_calls"] + report["json"] == len(list(_panels(data)))
    assert report["json_reasons"]["plugin panel (no builder for plugins)"] == 1
    assert list(report["json_reasons"].values()) == sorted(report["json_reasons"].values(), reverse=True)


def test_panel_report_groups_reasons_commonest_first():
    from azora_dash.importer import panel_report

    report = panel_report([None, "b", "a", "b", None, "a", "b"])
    assert report == {"builder_calls": 2, "json": 5, "json_reasons": {"b": 3, "a": 2}}
