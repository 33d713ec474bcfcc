"""importer.panel_code: foreign panels of every builder type become builder calls that rebuild them exactly.

Each fixture is the shape Grafana 11 saves for the type (query-editor fields on every target, a
datasource ref without our uid, Grafana's own option defaults), cut down to a few fields.
"""

from __future__ import annotations

import copy
import re

import pytest

from azora_dash.config import DEFAULT
from azora_dash.importer import _import
from azora_dash.importer.panel_code import MAX_PATCH_SHARE

DS = {"type": "prometheus", "uid": "${ds_prometheus}"}
TARGET = {
    "datasource": DS,
    "editorMode": "code",
    "expr": "up",
    "legendFormat": "{{instance}}",
    "range": True,
    "refId": "A",
    "step": 240,
}
STEPS = {"mode": "absolute", "steps": [{"color": "green", "value": None}, {"color": "red", "value": 80}]}
# What Grafana 11.6 saves as a new time series panel's field defaults.
CUSTOM = {
    "axisBorderShow": False,
    "axisCenteredZero": False,
    "axisColorMode": "text",
    "axisLabel": "",
    "axisPlacement": "auto",
    "barAlignment": 0,
    "barWidthFactor": 0.6,
    "drawStyle": "line",
    "fillOpacity": 25,
    "gradientMode": "opacity",
    "hideFrom": {"legend": False, "tooltip": False, "viz": False},
    "insertNulls": False,
    "lineInterpolation": "smooth",
    "lineWidth": 2,
    "pointSize": 5,
    "scaleDistribution": {"type": "linear"},
    "showPoints": "never",
    "spanNulls": False,
    "stacking": {"group": "A", "mode": "none"},
    "thresholdsStyle": {"mode": "off"},
}
REDUCE = {"calcs": ["lastNotNull"], "fields": "", "values": False}
COLOUR = {"color": {"mode": "thresholds"}, "mappings": [], "thresholds": STEPS}
FOREIGN = {
    "timeseries": {
        "fieldConfig": {
            "defaults": {"custom": CUSTOM, "thresholds": STEPS, "unit": "percent"},
            "overrides": [
                {"matcher": {"id": "byName", "options": "Idle"}, "properties": [{"id": "color", "value": "blue"}]}
            ],
        },
        "options": {
            "legend": {"calcs": [], "displayMode": "list", "placement": "bottom", "showLegend": True},
            "tooltip": {"mode": "single", "sort": "none"},
        },
    },
    "stat": {
        "fieldConfig": {"defaults": {**COLOUR, "unit": "s", "decimals": 1}, "overrides": []},
        "options": {
            "colorMode": "value",
            "graphMode": "none",
            "justifyMode": "auto",
            "orientation": "auto",
            "reduceOptions": REDUCE,
            "showPercentChange": False,
            "textMode": "auto",
            "wideLayout": True,
        },
    },
    "table": {
        "fieldConfig": {
            "defaults": {**COLOUR, "custom": {"align": "auto", "cellOptions": {"type": "auto"}}, "unit": "bytes"},
            "overrides": [],
        },
        "options": {"cellHeight": "sm", "showHeader": True},
        "transformations": [{"id": "organize", "options": {"excludeByName": {"Time": True}}}],
    },
    "gauge": {
        "fieldConfig": {"defaults": {**COLOUR, "max": 100, "min": 0, "unit": "percent"}, "overrides": []},
        "options": {
            "minVizHeight": 75,
            "minVizWidth": 75,
            "orientation": "auto",
            "reduceOptions": REDUCE,
            "showThresholdLabels": False,
            "showThresholdMarkers": True,
            "sizing": "auto",
        },
    },
    "bargauge": {
        "fieldConfig": {"defaults": {**COLOUR, "max": 1, "min": 0, "unit": "percentunit"}, "overrides": []},
        "options": {
            "displayMode": "basic",
            "namePlacement": "auto",
            "orientation": "horizontal",
            "reduceOptions": REDUCE,
            "showUnfilled": True,
            "sizing": "auto",
            "valueMode": "color",
        },
    },
}


def _dashboard(panel: dict) -> dict:
    return {"title": "Foreign", "uid": "foreign", "schemaVersion": 39, "panels": [panel]}


def _panel(kind: str, **extra) -> dict:
    body = {"datasource": DS, "targets": [dict(TARGET)], **copy.deepcopy(FOREIGN.get(kind, {}))}
    if kind == "text":
        body = {"options": {"content": "# Read me", "mode": "markdown"}}
    return {"id": 7, "type": kind, "title": f"A {kind}", "gridPos": {"h": 5, "w": 8, "x": 4, "y": 0}, **body, **extra}


@pytest.mark.parametrize("kind", [*FOREIGN, "text"])
def test_foreign_panel_becomes_its_builder_call_and_rebuilds_exactly(kind):
    # _import verifies the rebuilt dashboard equals the source field by field (ImportFailed otherwise).
    text, _, _, report = _import(_dashboard(_panel(kind)), DEFAULT, "f.json", {})
    assert report == {"builder_calls": 1, "json": 0, "json_reasons": {}}
    assert f"P.{kind}(" in text and f"'A {kind}'" in text and "P.carried(" not in text


def test_query_editor_fields_are_patched_per_query_not_as_the_whole_targets_list():
    panel = _panel("timeseries", targets=[dict(TARGET), {**TARGET, "expr": "down", "refId": "B"}])
    text, built, _, report = _import(_dashboard(panel), DEFAULT, "f.json", {})
    assert report["builder_calls"] == 1
    assert len(re.findall(r"P\.extra\(\s*P\.target\(", text)) == 2 and "'targets'" not in text
    assert built["panels"][0]["targets"][1] == {**TARGET, "expr": "down", "refId": "B"}
    assert "targets[*].editorMode, targets[*].range" in " ".join(text.replace("#", "").split())


def test_a_target_without_datasource_stays_without_one():
    # Grafana reads the panel's datasource for it; the build must not write one in.
    target = {k: v for k, v in TARGET.items() if k != "datasource"}
    _, built, _, report = _import(_dashboard(_panel("stat", targets=[target])), DEFAULT, "f.json", {})
    assert report["builder_calls"] == 1 and "datasource" not in built["panels"][0]["targets"][0]


def test_a_panel_mostly_unlike_its_builder_is_carried_with_the_reason():
    odd = {f"option{i}": {"value": i, "on": True} for i in range(40)}
    text, built, _, report = _import(_dashboard(_panel("stat", options=odd)), DEFAULT, "f.json", {})
    why = f"stat: the house builder would need extra JSON for over {MAX_PATCH_SHARE:.0%} of the panel"
    assert report == {"builder_calls": 0, "json": 1, "json_reasons": {why: 1}}
    assert "P.carried(" in text and built["panels"][0]["options"] == odd


def test_threshold_sets_are_named_and_the_builders_default_goes_unsaid():
    ok = {"mode": "absolute", "steps": [{"color": "green", "value": None}]}
    util = {**ok, "steps": [*ok["steps"], {"color": "yellow", "value": 0.8}, {"color": "red", "value": 0.9}]}
    for kind, steps, said in (
        ("gauge", ok, "steps=P.OK"),
        ("gauge", util, None),
        ("stat", util, "steps=P.UTILISATION"),
    ):
        panel = _panel(kind)
        panel["fieldConfig"]["defaults"]["thresholds"] = steps
        text, _, _, report = _import(_dashboard(panel), DEFAULT, "f.json", {})
        assert report["builder_calls"] == 1 and "extra JSON fieldConfig.defaults.thresholds" not in text
        assert (said in text) if said else ("steps=" not in text)
