"""Shared test data for the preview tests: a small dashboard, the diff's Change objects, SVG queries."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

from azora_dash.diff.core import Change, ChangeType, FieldChange

__all__ = ["Change", "ChangeType", "FieldChange", "UID", "change", "dashboard", "parse", "groups", "by_id"]

UID = "t-demo"


def change(kind: str, scope: str = "panel", uid: str = UID, title: str = "Demo", **kw) -> Change:
    return Change(ChangeType(kind), scope, uid, title, **kw)


def _panel(pid, title, ptype, x, y, w, h, unit="s", expr='sum(rate(x_total{job=~"$job"}[5m]))'):
    return {
        "id": pid,
        "title": title,
        "type": ptype,
        "gridPos": {"x": x, "y": y, "w": w, "h": h},
        "fieldConfig": {"defaults": {"unit": unit}},
        "targets": [{"refId": "A", "expr": expr}],
    }


def dashboard() -> dict:
    """Open row with three panels, then a collapsed row holding two children."""
    return copy.deepcopy(
        {
            "uid": UID,
            "title": "Demo <board> & co",
            "time": {"from": "now-6h", "to": "now"},
            "refresh": "30s",
            "templating": {
                "list": [
                    {"name": "job", "label": "Service", "current": {"text": ["auth", "mint"]}, "type": "query"},
                    {"name": "hidden", "hide": 2, "current": {"text": "x"}, "type": "constant"},
                ]
            },
            "panels": [
                {
                    "id": 1,
                    "type": "row",
                    "title": "Traffic",
                    "collapsed": False,
                    "gridPos": {"x": 0, "y": 0, "w": 24, "h": 1},
                    "panels": [],
                },
                _panel(2, "Request rate", "stat", 0, 1, 6, 4, unit="reqps"),
                _panel(3, "Errors", "timeseries", 6, 1, 18, 8, unit="percentunit"),
                _panel(4, "Latency", "timeseries", 0, 9, 12, 8),
                {
                    "id": 5,
                    "type": "row",
                    "title": "Details",
                    "collapsed": True,
                    "gridPos": {"x": 0, "y": 17, "w": 24, "h": 1},
                    "panels": [
                        _panel(6, "Hidden A", "table", 0, 18, 12, 8),
                        _panel(7, "Hidden B", "table", 12, 18, 12, 8),
                    ],
                },
            ],
        }
    )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def groups(root: ET.Element, cls: str) -> list[ET.Element]:
    """Every element whose class list contains ``cls``."""
    return [e for e in root.iter() if cls in e.get("class", "").split()]


def by_id(root: ET.Element, cls: str, panel_id: int) -> list[ET.Element]:
    return [e for e in groups(root, cls) if e.get("data-panel-id") == str(panel_id)]
