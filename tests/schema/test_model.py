from azora_dash.schema.model import invariant_errors, validate


def minimal(**kw):
    return {"uid": "u", "schemaVersion": 41, "templating": {"list": []}, "annotations": {"list": []}, **kw}


def test_minimal_dashboard_is_valid():
    assert validate(minimal()) == []


def test_schema_objects_are_closed():
    errors = validate(minimal(panels=[{"type": "stat", "id": 1, "gridPos": {"h": 1, "w": 1, "x": 0, "y": 0, "z": 1}}]))
    assert errors == ["/panels/0/gridPos: Additional properties are not allowed ('z' was unexpected)"]


def test_nulls_and_string_datasources_are_rejected():
    assert validate(minimal(panels=[{"type": "stat", "id": 1, "datasource": "Prometheus"}]))
    assert validate(minimal(title=None))


def test_invariants():
    d = minimal(
        uid="x" * 41,
        panels=[
            {"type": "stat", "id": 1},
            {"type": "row", "id": 2, "collapsed": True, "panels": [{"type": "stat", "id": 1}]},
        ],
    )
    errors = invariant_errors(d)
    assert errors == [
        "/uid: " + repr("x" * 41) + " is 41 characters; Grafana allows at most 40",
        "/panels/1/panels/0/id: panel id 1 is also used at /panels/0",
    ]


def test_non_object_is_reported():
    assert validate([]) == ["/: not a JSON object; a dashboard file holds one dashboard object"]
