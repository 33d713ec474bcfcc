"""grafanalib's legacy output becomes the current model."""
import grafanalib.core as G

from azora_dash import panels as P
from azora_dash.config import DEFAULT
from azora_dash.normalize import normalize
from azora_dash.schema import validate


def build(*panels, **kw):
    return G.Dashboard(title="t", uid="u", panels=list(panels), **kw)


def test_legacy_keys_and_nulls_are_gone():
    d = normalize(build(G.TimeSeries(title="x", targets=[G.Target(expr="up")], gridPos=G.GridPos(h=1, w=1, x=0, y=0), id=1)), DEFAULT)
    assert d["schemaVersion"] == DEFAULT.schema_version
    for key in ("rows", "style", "id", "version", "hideControls"):
        assert key not in d
    panel = d["panels"][0]
    for key in ("span", "minSpan", "height", "error", "editable", "maxDataPoints"):
        assert key not in panel
    assert "null" not in str(d) and None not in panel.values()
    assert panel["targets"] == [{"expr": "up", "refId": "A"}]
    assert validate(d) == []


def test_string_datasource_becomes_a_reference():
    d = normalize(build(G.TimeSeries(title="x", dataSource="abc", targets=[G.Target(expr="up", refId="A")],
                                     gridPos=G.GridPos(h=1, w=1, x=0, y=0), id=1)), DEFAULT)
    panel = d["panels"][0]
    assert panel["datasource"] == {"type": "prometheus", "uid": "abc"}
    assert panel["targets"][0]["datasource"] == {"type": "prometheus", "uid": "abc"}


def test_thresholds_keep_only_color_and_value_with_a_numeric_base():
    d = normalize(build(P.stat("s", "d", "up", "none", steps=P.thresholds((None, "red"), (0.5, "green")))), DEFAULT)
    steps = d["panels"][0]["fieldConfig"]["defaults"]["thresholds"]["steps"]
    assert steps == [{"color": "red", "value": 0}, {"color": "green", "value": 0.5}]


def test_negative_threshold_keeps_base_lowest():
    d = normalize(build(P.stat("s", "d", "up", "none", steps=P.thresholds((None, "red"), (-5, "green")))), DEFAULT)
    steps = d["panels"][0]["fieldConfig"]["defaults"]["thresholds"]["steps"]
    assert steps[0]["value"] <= steps[1]["value"]


def test_row_keeps_only_row_keys():
    d = normalize(build(G.RowPanel(title="r", gridPos=G.GridPos(h=1, w=24, x=0, y=0), id=1)), DEFAULT)
    assert d["panels"][0] == {"type": "row", "title": "r", "collapsed": False, "gridPos": {"h": 1, "w": 24, "x": 0, "y": 0},
                              "id": 1, "panels": []}
