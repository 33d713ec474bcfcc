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


def test_target_datasources_are_read_as_grafanas_migration_reads_them():
    """Legacy strings go through dashboard_file.datasource_ref, the one reading of them: `$var` names the
    datasource variable (its query is the plugin type), `-- Mixed --` lets each target name its own,
    and `[[var]]` is no variable there (datasource_srv.ts getInstanceSettings: only a leading `$`)."""
    from azora_dash.lint.catalogue import load as load_catalogue
    from azora_dash.lint.context import DashboardContext

    from .lint_helpers import dashboard, panel

    board = dashboard(panel(["up", "up", "up", "up"]))
    board["templating"]["list"].append({"name": "logs", "type": "datasource", "query": "loki"})
    board["panels"][0]["datasource"] = "-- Mixed --"
    for target, ds in zip(board["panels"][0]["targets"], ("$datasource", "$logs", "[[datasource]]", None)):
        target["datasource"] = ds
    ctx = DashboardContext(board, load_catalogue())
    # Prometheus by its variable, and the default datasource (no reference at all); not Loki, not [[...]].
    assert [t.path for t in ctx.targets] == ["/panels/0/targets/0", "/panels/0/targets/3"]
