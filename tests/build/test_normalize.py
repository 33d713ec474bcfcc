"""grafanalib's legacy output becomes the current model."""

import attr
import grafanalib.core as G

from azora_dash import panels as P
from azora_dash.build.normalize import normalize
from azora_dash.config import DEFAULT
from azora_dash.schema.model import validate


def build(*panels, **kw):
    return G.Dashboard(title="t", uid="u", panels=list(panels), **kw)


def test_legacy_keys_and_nulls_are_gone():
    d = normalize(
        build(G.TimeSeries(title="x", targets=[G.Target(expr="up")], gridPos=G.GridPos(h=1, w=1, x=0, y=0), id=1)),
        DEFAULT,
    )
    assert d["schemaVersion"] == DEFAULT.schema_version
    for key in ("rows", "style", "id", "version", "hideControls"):
        assert key not in d
    panel = d["panels"][0]
    for key in ("span", "minSpan", "height", "error", "editable", "maxDataPoints"):
        assert key not in panel
    assert None not in panel.values() and None not in d.values()
    assert panel["targets"] == [{"expr": "up", "refId": "A"}]
    assert validate(d) == []


def test_string_datasource_becomes_a_reference():
    d = normalize(
        build(
            G.TimeSeries(
                title="x",
                dataSource="abc",
                targets=[G.Target(expr="up", refId="A")],
                gridPos=G.GridPos(h=1, w=1, x=0, y=0),
                id=1,
            )
        ),
        DEFAULT,
    )
    panel = d["panels"][0]
    assert panel["datasource"] == {"type": "prometheus", "uid": "abc"}
    assert panel["targets"][0]["datasource"] == {"type": "prometheus", "uid": "abc"}


def test_thresholds_keep_only_color_and_value_with_a_null_base():
    d = normalize(
        build(attr.evolve(P.stat("s", "d", "up", "none", steps=P.thresholds((None, "red"), (0.5, "green"))), id=1)),
        DEFAULT,
    )
    steps = d["panels"][0]["fieldConfig"]["defaults"]["thresholds"]["steps"]
    assert steps == [{"color": "red", "value": None}, {"color": "green", "value": 0.5}]
    assert validate(d) == []


def test_timepicker_has_only_current_model_keys():
    d = normalize(build(), DEFAULT)
    assert set(d["timepicker"]) == {"hidden", "refresh_intervals"}


def test_row_keeps_only_row_keys():
    d = normalize(build(G.RowPanel(title="r", gridPos=G.GridPos(h=1, w=24, x=0, y=0), id=1)), DEFAULT)
    assert d["panels"][0] == {
        "type": "row",
        "title": "r",
        "collapsed": False,
        "gridPos": {"h": 1, "w": 24, "x": 0, "y": 0},
        "id": 1,
        "panels": [],
    }


def test_to_plain_drops_none_everywhere_and_expands_grafanalib_objects():
    from azora_dash.build.normalize import to_plain

    value = {
        "a": None,
        "b": [None, 1, ("x", None)],
        "c": G.GridPos(h=1, w=2, x=3, y=4),
        "d": {"e": None, "f": [G.Target(expr="up", refId="A")]},
    }
    plain = to_plain(value)
    assert plain["b"] == [1, ["x"]] and "a" not in plain
    assert plain["c"] == {"h": 1, "w": 2, "x": 3, "y": 4}
    assert plain["d"]["f"][0]["expr"] == "up" and None not in plain["d"]["f"][0].values()
    assert "e" not in plain["d"]


def test_to_plain_holds_only_json_values():
    """``jsonio.dumps(plain=True)`` trusts normalize's output: subclasses of JSON scalars become
    the values json.dumps writes for them, and what JSON cannot hold is an error, not a file."""
    import enum
    import math

    import pytest

    from azora_dash.build.normalize import to_plain

    class Colour(str, enum.Enum):
        RED = "red"

    class Level(enum.IntEnum):
        HIGH = 3

    plain = to_plain({"c": Colour.RED, "l": Level.HIGH, "f": [0.5, (1, 2), 3.0, 1e22]})
    assert plain == {"c": "red", "l": 3, "f": [0.5, [1, 2], 3, 1e22]}
    # whole floats as ints, as every file is written (below 1e21, where Go writes digits)
    assert type(plain["c"]) is str and type(plain["l"]) is int and [type(v) for v in plain["f"][2:]] == [int, float]
    for bad in (math.inf, -math.inf, math.nan):
        with pytest.raises(ValueError, match="not a JSON number"):
            to_plain({"fieldConfig": {"max": bad}})
    with pytest.raises(TypeError, match="object .* is not a JSON value"):
        to_plain({"x": object()})
