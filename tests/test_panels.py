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


def _json(panel) -> dict:
    from azora_dash.build.normalize import normalize
    from azora_dash.config import DEFAULT

    return normalize({"panels": [panel]}, DEFAULT)["panels"][0]


def test_gauges_write_the_single_stat_model_grafana_7_reads():
    # grafanalib's GaugePanel/BarGauge write Grafana 6's fieldConfig.defaults.calcs and options.fieldOptions.
    gauge = _json(P.gauge("Disk", "d", "up", "percentunit", reduce="max"))
    assert gauge["options"] == {
        "reduceOptions": {"calcs": ["max"], "fields": "", "values": False},
        "showThresholdLabels": False,
        "showThresholdMarkers": True,
    }
    assert set(gauge["fieldConfig"]) == {"defaults", "overrides"}
    assert "calcs" not in gauge["fieldConfig"]["defaults"] and gauge["fieldConfig"]["defaults"]["unit"] == "percentunit"
    bars = _json(P.bargauge("Disk", "d", "up", "percentunit", mode="lcd"))
    assert "fieldOptions" not in bars["options"] and "showThresholdMarkers" not in bars["options"]
    assert bars["options"]["displayMode"] == "lcd" and bars["options"]["reduceOptions"]["calcs"] == ["lastNotNull"]
    assert _json(P.text("Notes", "# hi"))["options"] == {"content": "# hi", "mode": "markdown"}


def test_extra_adds_to_the_builders_own_json_and_none_removes_even_objects():
    link = {"title": "t", "url": "/d/x"}
    over = [{"matcher": {"id": "byName", "options": "a"}, "properties": []}]
    panel = P.extra(
        P.stat("S", "d", "up", "s", links=[link], overrides=over), {"fieldConfig": {"defaults": {"custom": None}}}
    )
    out = _json(panel)
    assert out["fieldConfig"]["defaults"]["links"] == [link] and out["fieldConfig"]["overrides"] == over
    assert "custom" not in out["fieldConfig"]["defaults"]  # grafanalib's _deep_update would have kept {}


def test_extra_on_a_target_keeps_its_fields_and_no_panel_datasource_is_filled_in():
    target = P.extra(P.target("up"), {"editorMode": "code", "datasource": None})
    out = _json(P.timeseries("T", "d", [target, "down"], "s"))
    assert out["targets"][0]["editorMode"] == "code" and "datasource" not in out["targets"][0]
    assert out["targets"][0]["refId"] == "A" and out["targets"][1]["datasource"]["uid"] == "${datasource}"
