"""SLO rules: checked and unit-tested by promtool, and built from the declarations in azora_dash/stack/slos.py."""

from __future__ import annotations

import pytest
import yaml

from azora_dash.config import DEFAULT
from azora_dash.demo.services import DURATION_BUCKETS
from azora_dash.stack import PROMETHEUS, SLO_RULES, render
from azora_dash.stack import slos as S

from .support import REPO, load, require_tool, run, tree  # noqa: F401 (fixture)

UNIT_TESTS = sorted((REPO / "tests" / "promtool" / "slo").glob("*.yml"))


@pytest.fixture(scope="module")
def rules(tree):
    return [r for g in load(tree / SLO_RULES)["groups"] for r in g["rules"]]


def test_promtool_check_rules(tree, rules):
    promtool = require_tool("promtool")
    result = run([promtool, "check", "rules", str(tree / SLO_RULES)])
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(rules)} rules found" in result.stdout


def test_prometheus_loads_the_slo_rules(tree):
    assert "slo_rules.yml" in load(tree / PROMETHEUS)["rule_files"]


@pytest.mark.parametrize("unit", UNIT_TESTS, ids=lambda p: p.name)
def test_promtool_burn_rate_unit_tests(tree, unit, tmp_path):
    promtool = require_tool("promtool")
    doc = load(unit)
    doc["rule_files"] = [str(tree / SLO_RULES)]
    copy = tmp_path / unit.name
    copy.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = run([promtool, "test", "rules", str(copy)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_slo_has_each_window_objective_and_budget(rules):
    records = {(r["record"], r["labels"]["slo"]) for r in rules if "record" in r}
    for slo in S.slos(DEFAULT):
        for window in (*S.WINDOWS, slo.period):
            assert (f"slo:sli_error:ratio_rate{window}", slo.name) in records
    objectives = {(r["labels"]["slo"], r["labels"]["job"]) for r in rules if r.get("record") == "slo:objective:ratio"}
    budgets = {(r["labels"]["slo"], r["labels"]["job"]) for r in rules if r.get("record") == "slo:error_budget:ratio"}
    expected = {(s.name, s.job) for s in S.slos(DEFAULT)}
    assert objectives == budgets == expected
    assert len(expected) == 2 * len(DEFAULT.services) + 1


def test_the_four_burn_rate_alerts(rules):
    alerts = [r for r in rules if "alert" in r]
    assert {r["alert"] for r in alerts} == {S.ALERT}
    pairs = {(r["labels"]["severity"], r["labels"]["long_window"], r["labels"]["short_window"]) for r in alerts}
    assert pairs == {
        ("critical", "1h", "5m"),
        ("critical", "6h", "30m"),
        ("warning", "1d", "2h"),
        ("warning", "3d", "6h"),
    }
    for r in alerts:
        assert set(r["annotations"]) == {"summary", "description", "runbook_url"}
        assert r["annotations"]["runbook_url"].endswith("#errorbudgetburn")


def test_latency_thresholds_are_real_bucket_boundaries():
    assert S.DURATION_BUCKETS == DURATION_BUCKETS
    with pytest.raises(ValueError, match="not a bucket boundary"):
        S.SLO("latency", "azora-gateway", "latency", threshold=0.3)
    with pytest.raises(ValueError, match="objective"):
        S.SLO("availability", "azora-gateway", "availability", objective=1.0)


def test_slos_follow_config():
    cfg = DEFAULT.evolve(payments_job="billing")
    doc = yaml.safe_load(render(cfg)[SLO_RULES])
    jobs = {r["labels"]["job"] for r in doc["groups"][0]["rules"] if r.get("record") == "slo:objective:ratio"}
    assert "billing" in jobs and "azora-payments" in jobs  # payments SLO on billing; azora-payments is still a service
