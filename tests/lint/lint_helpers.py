"""Shared builders for lint tests (a plain module, not conftest, so names cannot clash): a valid base dashboard and one-panel shorthands."""

from __future__ import annotations

import copy

DS = {"type": "prometheus", "uid": "${datasource}"}


def variable(name: str, label: str, query: str) -> dict:
    return {
        "name": name,
        "label": label,
        "type": "query",
        "datasource": DS,
        "query": query,
        "multi": True,
        "includeAll": True,
        "allValue": ".+",
        "refresh": 2,
    }


BASE = {
    "uid": "case",
    "title": "Case",
    "editable": False,
    "schemaVersion": 41,
    "tags": ["managed-by-azora-dash"],  # what our build stamps: `lint --profile auto` lints it as ours
    "panels": [],
    "templating": {
        "list": [
            {"name": "datasource", "label": "Data source", "type": "datasource", "query": "prometheus", "refresh": 1},
            variable("job", "Job", "label_values(up, job)"),
            variable("instance", "Instance", 'label_values(up{job=~"$job"}, instance)'),
        ]
    },
}


def panel(expr=None, *, unit="short", legend="", id=1, type="timeseries", title="Panel", **extra) -> dict:
    p = {
        "id": id,
        "type": type,
        "title": title,
        "description": "What it shows.",
        "datasource": DS,
        "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
    }
    exprs = [] if expr is None else [expr] if isinstance(expr, str) else list(expr)
    p["targets"] = [
        {"refId": chr(65 + i), "expr": e, "legendFormat": legend, "datasource": DS} for i, e in enumerate(exprs)
    ]
    p.update(extra)
    return p


def dashboard(*panels, **overrides) -> dict:
    d = copy.deepcopy(BASE)
    d["panels"] = list(panels)
    d.update(overrides)
    return d
