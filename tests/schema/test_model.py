from azora_dash.schema.model import invariant_errors, invariant_warnings, validate


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
    assert invariant_errors(d) == ["/uid: " + repr("x" * 41) + " is 41 characters; Grafana allows at most 40"]
    # Grafana renumbers duplicate ids on load (DashboardModel.ensurePanelsHaveUniqueIds): a warning.
    assert invariant_warnings(d) == [
        "/panels/1/panels/0/id: panel id 1 is also used at /panels/0; Grafana renumbers one",
    ]


def test_a_missing_uid_is_a_warning_not_an_error():
    d = {k: v for k, v in minimal().items() if k != "uid"}
    assert validate(d) == []
    assert invariant_warnings(d) == ["/uid: missing; Grafana assigns a random uid on import, so set a stable one"]


def test_non_object_is_reported():
    assert validate([]) == ["/: not a JSON object; a dashboard file holds one dashboard object"]


# --- the fast validator (jsonschema-rs) must give python-jsonschema's verdict on every file ---

ODD = [None, "x", "", 0, -1, 1, 1.0, 1.5, True, False, [], {}, [{}], {"type": "row"}, 2**70, -(2**63), 1e300]


def _nodes(value, path=()):
    """Every (container, key) pair in a JSON document, depth first."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield value, key
        yield from _nodes(child, (*path, key))


def _mutants(dashboard: dict, rng, count: int):
    """Copies of ``dashboard`` with one random change each: a value swapped for an odd one,
    a key deleted, or an unknown key added (the schema's objects are closed)."""
    import copy

    for _ in range(count):
        d = copy.deepcopy(dashboard)
        container, key = rng.choice(list(_nodes(d)))
        action = rng.randrange(3)
        if action == 0:
            container[key] = copy.deepcopy(rng.choice(ODD))
        elif action == 1 and isinstance(container, dict):
            del container[key]
        elif isinstance(container, dict):
            container["zz_unknown"] = 1
        else:
            container.append(copy.deepcopy(rng.choice(ODD)))
        yield d


def _corpus():
    import random

    from azora_dash.build.project import render
    from azora_dash.config import DEFAULT

    from ..conftest import ROOT

    compiled, _ = render(DEFAULT, ROOT / "dashboards")
    rng = random.Random(19)
    real = [c.dashboard for c in compiled]
    return real + [m for d in real for m in _mutants(d, rng, 150)]


def test_fast_validator_agrees_with_jsonschema_on_valid_and_broken_files():
    from azora_dash.schema.model import _validator, is_legacy, schema_valid

    corpus = _corpus()
    # The same files stated as older than schemaVersion 36 exercise the legacy patches too.
    corpus += [{**d, "schemaVersion": 27} for d in corpus[::3] if isinstance(d, dict)]
    verdicts = [(schema_valid(d), next(_validator(is_legacy(d)).iter_errors(d), None) is None) for d in corpus]
    disagree = [i for i, (fast, slow) in enumerate(verdicts) if fast != slow]
    assert disagree == []
    valid = sum(slow for _, slow in verdicts)
    assert valid >= 50 and len(corpus) - valid >= 200  # both kinds well represented


def test_an_invalid_file_is_still_explained_by_jsonschema():
    d = minimal()
    d["panels"] = [{"type": "timeseries", "id": 1, "gridPos": {"x": 0, "y": 0, "w": "wide", "h": 8}}]
    assert any(e.startswith("/panels/0/gridPos/w: 'wide' is not of type 'integer'") for e in validate(d))


def test_every_problem_of_a_panel_is_reported_not_only_the_first():
    d = minimal(
        panels=[{"type": "timeseries", "id": 1, "span": 1, "title": 3, "gridPos": {"x": 0, "y": 0, "w": "w", "h": 8}}]
    )
    assert validate(d) == [
        "/panels/0: Additional properties are not allowed ('span' was unexpected)",
        "/panels/0/gridPos/w: 'w' is not of type 'integer'",
        "/panels/0/title: 3 is not of type 'string'",
    ]


def test_a_panel_that_is_no_object_says_so():
    assert validate(minimal(panels=[None, 3])) == [
        "/panels/0: None is not a panel object",
        "/panels/1: 3 is not a panel object",
    ]
