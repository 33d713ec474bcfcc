"""Alert rules: checked and unit-tested by promtool, and held to the issue-6 corrections."""

from __future__ import annotations

import re

import pytest
import yaml

from azora_dash import queries as Q
from azora_dash.config import DEFAULT
from azora_dash.stack import RULES, RUNBOOKS, render
from azora_dash.stack import alerts as A
from azora_dash.stack.settings import DEFAULT_STACK

from .support import REPO, load, require_tool, run, tree  # noqa: F401 (fixture)

UNIT_TESTS = sorted((REPO / "tests" / "promtool").glob("*.yml"))


@pytest.fixture(scope="module")
def rules(tree):
    return [r for g in load(tree / RULES)["groups"] for r in g["rules"]]


def test_promtool_check_rules(tree):
    promtool = require_tool("promtool")
    result = run([promtool, "check", "rules", str(tree / RULES)])
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(A.alerts(DEFAULT))} rules found" in result.stdout


@pytest.mark.parametrize("unit", UNIT_TESTS, ids=lambda p: p.name)
def test_promtool_unit_tests(tree, unit, tmp_path):
    promtool = require_tool("promtool")
    doc = load(unit)
    doc["rule_files"] = [str(tree / RULES)]  # the freshly rendered rules, not a stale committed copy
    copy = tmp_path / unit.name
    copy.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = run([promtool, "test", "rules", str(copy)])
    assert result.returncode == 0, result.stdout + result.stderr


def _cases(healthy_only=False):
    for unit in UNIT_TESTS:
        for group in load(unit)["tests"]:
            if group["name"].startswith("healthy:") or not healthy_only:
                yield from group.get("alert_rule_test", [])


def test_every_alert_is_unit_tested_firing_and_quiet():
    names = {a.name for a in A.alerts(DEFAULT)}
    fired = {c["alertname"] for c in _cases() if c.get("exp_alerts")}
    # "Quiet" counts only in groups of healthy series, not an alert that is merely still pending.
    quiet = {c["alertname"] for c in _cases(healthy_only=True) if not c.get("exp_alerts")}
    assert names - fired == set(), "alerts never shown firing in tests/promtool"
    assert names - quiet == set(), "alerts never shown quiet on healthy series in tests/promtool"


def test_every_alert_has_severity_summary_description_runbook(tree, rules):
    anchors = {h.lower() for h in re.findall(r"^## (\w+)$", (tree / RUNBOOKS).read_text(), re.M)}
    for rule in rules:
        assert rule["labels"]["severity"] in A.SEVERITIES, rule["alert"]
        assert set(rule["annotations"]) == {"summary", "description", "runbook_url"}, rule["alert"]
        assert rule["annotations"]["runbook_url"].startswith(DEFAULT_STACK.runbook_base_url + "#")
        assert rule["annotations"]["runbook_url"].rsplit("#", 1)[1] in anchors, rule["alert"]


def test_templates_use_labels_that_exist(rules):
    # Every expression keeps `job` (aggregations are by job), so {{ $labels.job }} is always set;
    # `service` is a label no Azora series carries (the spec's bug).
    for rule in rules:
        for text in rule["annotations"].values():
            assert "$labels.service" not in text, rule["alert"]
        assert re.search(r"\bby \((?![^)]*\bjob\b)", rule["expr"]) is None, f"{rule['alert']} aggregates job away"


def test_spec_defects_are_fixed(rules):
    by_name = {r["alert"]: r for r in rules}
    error = by_name["HighErrorRate"]["expr"]
    assert 'status_code=~"5.."' in error and "status=~" not in error
    assert error.count("sum by (job)") == 2
    assert "humanizePercentage" in by_name["HighErrorRate"]["annotations"]["description"]
    assert "node_cpu_seconds_total" in by_name["HighCPUUsage"]["expr"]
    assert "node_memory_MemAvailable_bytes" in by_name["HighMemoryUsage"]["expr"]
    assert "pg_up" in by_name["DatabaseConnectionIssues"]["expr"]
    assert 'payments_processed_total{job="azora-payments", status="failed"}' in by_name["PaymentFailures"]["expr"]
    text = yaml.safe_dump(rules)
    for bug in ("cpu_usage_percent", "memory_usage_percent", "payment_failed_total", "< 1"):
        assert bug not in text


def test_selectors_follow_config():
    cfg = DEFAULT.evolve(payments_job="billing", node=DEFAULT.node.__class__("nodes", "nodes", 9100))
    rules = {r["alert"]: r for g in yaml.safe_load(render(cfg)[RULES])["groups"] for r in g["rules"]}
    assert 'job="billing"' in rules["PaymentFailures"]["expr"]
    assert 'job="nodes"' in rules["HighCPUUsage"]["expr"]


def test_unknown_severity_is_refused():
    alert = A.Alert("X", "g", "up == 0", "1m", "page", "s", "d", "r")
    with pytest.raises(ValueError, match="severity 'page'"):
        alert.rule(DEFAULT_STACK)


def test_activation_count_counts_the_first_activation(tree, tmp_path):
    # The Alerts dashboard's "Activations in range", with the range fixed at 1h, against ALERTS_FOR_STATE
    # as Prometheus writes it: the alert's ActiveAt, constant while active, absent while resolved.
    promtool = require_tool("promtool")
    doc = {
        "rule_files": [str(tree / RULES)],
        "evaluation_interval": "1m",
        "tests": [
            {
                "interval": "1m",
                "input_series": [
                    # Active from 10m to 30m, resolved, active again from 40m: two activations.
                    {"series": 'ALERTS_FOR_STATE{alertname="Flapping"}', "values": "_x10 600x20 _x10 2400x15"},
                    # Active once, from 30m: one activation (changes() alone says 0).
                    {"series": 'ALERTS_FOR_STATE{alertname="Once"}', "values": "_x30 1800x25"},
                ],
                "promql_expr_test": [
                    {
                        "expr": Q.alert_activations(DEFAULT, window="1h"),
                        "eval_time": "55m",
                        "exp_samples": [
                            {"labels": '{alertname="Flapping"}', "value": 2},
                            {"labels": '{alertname="Once"}', "value": 1},
                        ],
                    }
                ],
            }
        ],
    }
    unit = tmp_path / "activations.yml"
    unit.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = run([promtool, "test", "rules", str(unit)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_redis_and_postgres_backends_have_an_up_alert(rules):
    # Both exporters keep answering (up == 1) while their backend is down; only *_up says so.
    exprs = {r["alert"]: r["expr"] for r in rules}
    assert exprs["RedisDown"] == f'redis_up{{job="{DEFAULT.redis.job}"}} == 0'
    assert exprs["DatabaseConnectionIssues"] == f'pg_up{{job="{DEFAULT.postgres.job}"}} == 0'
