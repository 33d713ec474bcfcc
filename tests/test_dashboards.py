"""Each of the five dashboards: the spec's metrics and labels, and the house rules every panel follows."""

from __future__ import annotations

import re

import pytest

from azora_dash.build.project import render
from azora_dash.config import DEFAULT
from azora_dash.dashboard_file import iter_panels
from azora_dash.schema.model import validate

from .conftest import ROOT

DASHBOARDS = {c.uid: c.dashboard for c in render(DEFAULT, ROOT / "dashboards")[0]}

# Metric -> labels the emitters really carry (spec's prom-client code; exporter docs).
SPEC_LABELS = {
    "http_requests_total": {"method", "route", "status_code"},
    "http_request_duration_seconds_bucket": {"method", "route", "status_code", "le"},
    "payments_processed_total": {"status", "currency"},
    "payment_amount_bucket": {"currency", "le"},
    "user_registrations_total": set(),
    "active_users": set(),
}
TARGET_LABELS = {"job", "instance"}
# postgres_exporter exposes these pg_stat_database counters without the _total suffix.
UNSUFFIXED_COUNTERS = {"pg_stat_database_xact_commit", "pg_stat_database_xact_rollback", "pg_stat_database_deadlocks"}
GAUGES = {
    "active_users",
    "pg_stat_activity_count",
    "redis_connected_clients",
    "container_memory_working_set_bytes",
    "node_memory_MemAvailable_bytes",
    "node_netstat_Tcp_CurrEstab",
    "up",
    "alertmanager_alerts",
}


def exprs(dashboard):
    for _, panel, _ in iter_panels(dashboard):
        for target in panel.get("targets", []):
            yield panel, target["expr"]


def selectors(expr):
    """(metric, {label names}) for every metric{...} in an expression."""
    for m in re.finditer(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}", expr):
        yield m.group(1), set(re.findall(r"(\w+)\s*[=!]~?", m.group(2)))


@pytest.mark.parametrize("uid", sorted(DASHBOARDS))
def test_valid_against_grafana_schema(uid):
    assert validate(DASHBOARDS[uid]) == []


def test_stable_uids():
    assert sorted(DASHBOARDS) == [
        "azora-alerts",
        "azora-api-gateway",
        "azora-business-metrics",
        "azora-logs-traces",
        "azora-slos",
        "azora-system-overview",
    ]


@pytest.mark.parametrize("uid", sorted(DASHBOARDS))
def test_every_panel_has_datasource_unit_description(uid):
    for pointer, panel, _ in iter_panels(DASHBOARDS[uid]):
        if panel["type"] == "row":
            continue
        # Log panels read the provisioned Loki datasource (P.loki); everything else the $datasource variable.
        loki = {"type": "loki", "uid": DEFAULT.loki_uid}
        assert panel["datasource"] in ({"type": "prometheus", "uid": "${datasource}"}, loki), pointer
        assert panel.get("description"), f"{uid}{pointer} {panel['title']} has no description"
        if panel["type"] != "logs":  # log lines have no unit
            assert panel["fieldConfig"]["defaults"].get("unit"), f"{uid}{pointer} {panel['title']} has no unit"
        assert all(t["datasource"] == panel["datasource"] for t in panel["targets"])


@pytest.mark.parametrize("uid", sorted(DASHBOARDS))
def test_spec_metrics_only_with_labels_they_carry(uid):
    for panel, expr in exprs(DASHBOARDS[uid]):
        assert 'status=~"5' not in expr
        for metric, labels in selectors(expr):
            if metric in SPEC_LABELS:
                extra = labels - SPEC_LABELS[metric] - TARGET_LABELS
                assert not extra, f"{panel['title']}: {metric} has no label(s) {extra}"


@pytest.mark.parametrize("uid", sorted(DASHBOARDS))
def test_rates_use_rate_interval_and_never_wrap_a_gauge(uid):
    for panel, expr in exprs(DASHBOARDS[uid]):
        for fn, metric, window in re.findall(r"\b(rate|irate|increase)\((\w+)(?:\{[^}]*\})?\[([^\]]+)\]", expr):
            assert window in ("$__rate_interval", "$__range"), f"{panel['title']}: {fn} window {window}"
            assert metric not in GAUGES, f"{panel['title']}: {fn}() over gauge {metric}"
            assert metric.endswith(("_total", "_bucket")) or metric in UNSUFFIXED_COUNTERS, (
                f"{panel['title']}: {fn}({metric})"
            )


@pytest.mark.parametrize("uid", sorted(DASHBOARDS))
def test_histogram_quantile_aggregates_by_le(uid):
    for panel, expr in exprs(DASHBOARDS[uid]):
        if "histogram_quantile" in expr:
            assert re.search(r"sum by \(le\b", expr), panel["title"]


def test_each_dashboard_shows_what_the_spec_asks_for():
    wanted = {
        "azora-system-overview": [
            "node_cpu_seconds_total",
            "node_memory_MemAvailable_bytes",
            "node_filesystem_avail_bytes",
            "node_network_receive_bytes_total",
            "node_netstat_Tcp_CurrEstab",
            "container_cpu_usage_seconds_total",
            "container_start_time_seconds",
            "pg_stat_activity_count",
            "pg_settings_max_connections",
            "pg_stat_database_deadlocks",
            "redis_connected_clients",
            "redis_commands_processed_total",
        ],
        "azora-api-gateway": [
            "http_requests_total",
            "http_request_duration_seconds_bucket",
            '"5.."',
            '"429"',
            "401|403",
        ],
        "azora-business-metrics": [
            "user_registrations_total",
            "active_users",
            "payments_processed_total",
            "payment_amount_bucket",
            "azora-lms|azora-education",
        ],
        "azora-alerts": [
            'ALERTS{alertstate="firing"}',
            "ALERTS_FOR_STATE",
            "avg_over_time(up",
            "alertmanager_notifications_total",
            "alertmanager_notifications_failed_total",
            "alertmanager_alerts",
        ],
    }
    for uid, needles in wanted.items():
        text = "\n".join(e for _, e in exprs(DASHBOARDS[uid]))
        for needle in needles:
            assert needle in text, f"{uid} does not query {needle}"


@pytest.mark.parametrize("uid", sorted(DASHBOARDS))
def test_house_dashboard_settings(uid):
    d = DASHBOARDS[uid]
    assert "azora" in d["tags"] and DEFAULT.managed_tag in d["tags"] and len(d["tags"]) == 3
    assert d["refresh"] and d["time"]["from"].startswith("now-") and not d["timepicker"]["hidden"]
    assert any(link["type"] == "dashboards" and link["tags"] == ["azora"] for link in d["links"])
    names = [v["name"] for v in d["templating"]["list"]]
    assert names[0] == "datasource"
    assert sum(p["type"] == "row" for p in d["panels"]) >= 3


@pytest.mark.parametrize("uid", sorted(DASHBOARDS))
def test_variables_used_are_defined(uid):
    d = DASHBOARDS[uid]
    defined = {v["name"] for v in d["templating"]["list"]}
    for panel, expr in exprs(d):
        for name in re.findall(r"\$(\w+)", expr):
            assert name.startswith("__") or name in defined, f"{panel['title']} uses undefined ${name}"


@pytest.mark.parametrize("uid", sorted(DASHBOARDS))
def test_no_overlapping_panels(uid):
    cells = {}
    for pointer, panel, _ in iter_panels(DASHBOARDS[uid]):
        g = panel["gridPos"]
        assert g["x"] + g["w"] <= 24
        for x in range(g["x"], g["x"] + g["w"]):
            for y in range(g["y"], g["y"] + g["h"]):
                assert (x, y) not in cells, f"{pointer} overlaps {cells[(x, y)]}"
                cells[(x, y)] = pointer


@pytest.mark.parametrize("module", sorted((ROOT / "dashboards").glob("*.py")), ids=lambda p: p.name)
def test_dashboard_modules_are_short_and_write_no_label_selectors(module):
    source = module.read_text()
    # A matcher opens a string or a selector: 'status_code="429"', {job="x"}.
    assert not re.search(r"['{]\s*\w+\s*(=~|!~|!=|=)", source), f"{module.name} hand-writes a label matcher"
    # ~150 (STYLE.md); drill-down links added a line to some panels.
    assert len(source.splitlines()) <= 165
    public = [
        line.split("(")[0][4:]
        for line in source.splitlines()
        if line.startswith("def ") and not line.startswith("def _")
    ]
    assert public == ["build"]
