"""Each patch of the vendored schema: the shape Grafana writes is accepted, its bad neighbour is not."""

from __future__ import annotations

import pytest

from azora_dash.schema.model import _schema, validate, vendored_schema
from azora_dash.schema.patches import LEGACY_PATCHES, PATCHES


def dashboard(version=41, **kw):
    return {"uid": "u", "schemaVersion": version, "templating": {"list": []}, "annotations": {"list": []}, **kw}


def panel(**kw):
    return {"type": "timeseries", "id": 1, "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8}, **kw}


def override(matcher_options, value):
    return {
        "fieldConfig": {
            "defaults": {},
            "overrides": [
                {
                    "matcher": {"id": "byName", "options": matcher_options},
                    "properties": [{"id": "unit", "value": value}],
                }
            ],
        }
    }


def variable(**kw):
    return {"type": "query", "name": "job", **kw}


LINK = {"title": "Docs", "type": "link", "url": "https://example.org"}

# (name, accepted now, its neighbour that stays rejected)
CASES = [
    (
        "matcher options string",
        dashboard(panels=[panel(**override("Busy", "s"))]),
        dashboard(
            panels=[panel(fieldConfig={"defaults": {}, "overrides": [{"matcher": {"options": "x"}, "properties": []}]})]
        ),
    ),
    (
        "override value number",
        dashboard(panels=[panel(**override("A", 0))]),
        dashboard(
            panels=[
                panel(
                    fieldConfig={
                        "defaults": {},
                        "overrides": [{"matcher": {"id": "byName"}, "properties": [{"value": 1}]}],
                    }
                )
            ]
        ),
    ),
    (
        "object variable query",
        dashboard(
            templating={"list": [variable(query={"qryType": 1, "query": "label_values(up, job)", "refId": "A"})]}
        ),
        dashboard(templating={"list": [variable(query=["label_values(up, job)"])]}),
    ),
    (
        "exported empty current",
        dashboard(templating={"list": [variable(current={})]}),
        dashboard(templating={"list": [variable(current={"text": "a"})]}),
    ),
    (
        "none option",
        dashboard(templating={"list": [variable(current={"text": "None", "value": "", "isNone": True})]}),
        dashboard(templating={"list": [variable(current={"text": "None", "value": "", "isNone": "yes"})]}),
    ),
    ("defaulted link fields", dashboard(links=[LINK]), dashboard(links=[{"title": "Docs", "url": "x"}])),
    (
        "data link on a panel",
        dashboard(panels=[panel(links=[{"title": "t", "url": "/d/x", "targetBlank": True}])]),
        dashboard(panels=[panel(links=[{"title": "t"}])]),
    ),
    (
        "library panel without type",
        dashboard(panels=[{"id": 3, "gridPos": panel()["gridPos"], "libraryPanel": {"uid": "lp"}}]),
        dashboard(panels=[{"id": 3, "gridPos": panel()["gridPos"], "libraryPanel": {"name": "lp"}}]),
    ),
    ("panel neither typed nor library", dashboard(panels=[panel()]), dashboard(panels=[{"id": 3}])),
    (
        "no templating or annotations",
        {"uid": "u", "schemaVersion": 41},
        {"uid": "u", "schemaVersion": 41, "annotations": {"list": {}}},
    ),
    ("numeric gnetId", dashboard(gnetId=1860), dashboard(gnetId=18.5)),
    ("null gnetId", dashboard(gnetId=None), dashboard(gnetId=True)),
    (
        "threshold base without value",
        dashboard(
            panels=[
                panel(fieldConfig={"defaults": {"thresholds": {"mode": "absolute", "steps": [{"color": "green"}]}}})
            ]
        ),
        dashboard(
            panels=[panel(fieldConfig={"defaults": {"thresholds": {"mode": "absolute", "steps": [{"value": 1}]}}})]
        ),
    ),
    (
        "export placeholders",
        dashboard(__inputs=[{"name": "DS_P"}], __requires=[{"type": "panel"}], __elements={}),
        dashboard(__inputs={"name": "DS_P"}),
    ),
    (
        "old timepicker options",
        dashboard(timepicker={"time_options": ["5m"], "collapse": False, "enable": True}),
        dashboard(timepicker={"time_options": "5m"}),
    ),
    ("style", dashboard(style="dark"), dashboard(style="blue")),
    (
        "queryValue",
        dashboard(templating={"list": [variable(queryValue="")]}),
        dashboard(templating={"list": [variable(queryValue=1)]}),
    ),
    (
        "fieldConfig without overrides",
        dashboard(panels=[panel(fieldConfig={"defaults": {"unit": "s"}})]),
        dashboard(panels=[panel(fieldConfig={"overrides": []})]),
    ),
    (
        "cleared query options",
        dashboard(panels=[panel(maxDataPoints=None, cacheTimeout=None, interval=None, queryCachingTTL=None)]),
        dashboard(panels=[panel(maxDataPoints="100")]),
    ),
    ("empty maxDataPoints", dashboard(panels=[panel(maxDataPoints="")]), dashboard(panels=[panel(interval=60)])),
    (
        "null allValue and description",
        dashboard(templating={"list": [variable(allValue=None, description=None)]}),
        dashboard(templating={"list": [variable(allValue=1)]}),
    ),
    (
        "datasource-spread annotation",
        dashboard(
            annotations={
                "list": [
                    {
                        "name": "a",
                        "datasource": {"uid": "x"},
                        "enable": True,
                        "iconColor": "red",
                        "limit": 100,
                        "showIn": 0,
                    }
                ]
            }
        ),
        dashboard(
            annotations={"list": [{"name": "a", "datasource": {"uid": "x"}, "enable": "yes", "iconColor": "red"}]}
        ),
    ),
    (
        "angular graph panel",
        dashboard(panels=[panel(type="graph", aliasColors={}, lines=True)]),
        dashboard(panels=[panel(aliasColors={}, lines=True)]),
    ),
    (
        "carried variable tag fields",
        dashboard(templating={"list": [variable(useTags=False, tagsQuery="", tags=[])]}),
        dashboard(templating={"list": [variable(useTags="no")]}),
    ),
]


@pytest.mark.parametrize("name,good,bad", CASES, ids=[c[0] for c in CASES])
def test_grafanas_shape_is_accepted_and_its_neighbour_is_not(name, good, bad):
    assert validate(good) == []
    assert validate(bad) != []


LEGACY = [
    (
        "string and null datasources",
        {
            "panels": [panel(type="graph", datasource="$datasource"), panel(id=2, datasource=None)],
            "templating": {
                "list": [
                    variable(datasource="${DS_PROMETHEUS}", label=None, useTags=False, allFormat="glob"),
                    variable(name="v", current={"text": "a", "value": "a", "tags": []}),
                ]
            },
        },
        {"panels": [panel(datasource=3)]},
    ),
    (
        "legacy panel fields and nulls",
        {
            "panels": [
                panel(type="singlestat", timeShift=None, timeFrom=None, colorValue=True),
                {"id": 9, "type": "row", "collapsed": False, "panels": [], "targets": [], "repeat": None},
            ]
        },
        {"panels": [panel(gridPos={"x": 0, "y": 0, "w": "wide", "h": 8})]},
    ),
    (
        "legacy dashboard fields",
        {"rows": [], "hideControls": False, "timepicker": {"now": True}},
        {"hideControls": "no"},
    ),
]


@pytest.mark.parametrize("name,good,bad", LEGACY, ids=[c[0] for c in LEGACY])
def test_legacy_shapes_are_accepted_only_in_files_older_than_36(name, good, bad):
    assert validate(dashboard(version=14, **good)) == []
    assert validate(dashboard(version=41, **good)) != []  # what Grafana migrates away is wrong in a current file
    assert validate(dashboard(version=14, **bad)) != []


def test_every_patch_changes_the_vendored_schema_at_a_node_that_exists_or_is_new():
    vendored = vendored_schema()
    for patch in PATCHES + LEGACY_PATCHES:
        *parents, last = patch.pointer.lstrip("/").split("/")
        node = vendored
        for key in parents:
            assert key in node, f"{patch.pointer}: the vendored schema has no {key!r} (stale patch?)"
            node = node[key]
        assert node.get(last) != patch.value, f"{patch.pointer}: patch changes nothing"
        assert patch.source.strip(), f"{patch.pointer}: every patch names the Grafana source that shows the shape"


def test_patches_never_touch_the_vendored_file_itself():
    before = str(vendored_schema())
    _schema.cache_clear()
    _schema(True)
    assert str(vendored_schema()) == before


def test_the_rest_stays_strict():
    assert validate(dashboard(panels=[panel(span=12)])) == [
        "/panels/0: Additional properties are not allowed ('span' was unexpected)"
    ]
    assert validate(dashboard(unknown=1))
    assert validate(dashboard(panels=[panel(type="timeseries", datasource="Prometheus")]))
