"""Dashboards not written by azora-dash: odd shapes are reported, never crash the linter."""

from __future__ import annotations

import pytest

from azora_dash.lint import run

ODD = {
    "nulls everywhere": {
        "uid": None,
        "panels": [
            None,
            {"type": None, "targets": None, "gridPos": None, "fieldConfig": None, "options": None, "datasource": None},
        ],
        "templating": {"list": None},
    },
    "wrong types": {
        "uid": 42,
        "panels": [
            {
                "id": "x",
                "type": "timeseries",
                "targets": [{"expr": 7}, "junk"],
                "gridPos": "0,0",
                "fieldConfig": {"defaults": None, "overrides": None},
                "options": {"azoraLint": "yes"},
            }
        ],
        "templating": {"list": [None, {"type": "query", "query": None, "name": None}]},
    },
    "legacy rows": {"uid": "r", "rows": [{"panels": [{"type": "graph", "title": "T", "targets": [{"expr": "up"}]}]}]},
    "variable query object": {
        "uid": "v",
        "panels": [],
        "templating": {
            "list": [
                {"type": "datasource", "name": "datasource", "query": "prometheus"},
                {"type": "query", "name": "job", "query": {"query": "label_values(up, job)", "refId": "A"}},
            ]
        },
    },
    "not even lists": {"uid": "n", "panels": {"a": 1}, "templating": ["x"], "rows": "no"},
    "unknown panel plugin": {
        "uid": "u",
        "panels": [
            {"id": 1, "type": "acme-map", "targets": [{"expr": "up["}], "gridPos": {"x": 0, "y": 0, "w": 24, "h": 8}}
        ],
    },
}


@pytest.mark.parametrize("name", ODD)
def test_odd_dashboards_lint_without_crashing(name):
    result = run([(name, ODD[name])])
    assert result.dashboards == 1
    assert all(p.rule and p.message for p in result.problems)
