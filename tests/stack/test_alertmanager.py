"""alertmanager.yml: checked by amtool, routes proven with `amtool config routes test`, no inline secret."""

from __future__ import annotations

import pytest

from azora_dash.stack import ALERTMANAGER, COMPOSE

from .support import load, require_tool, run, tree  # noqa: F401 (fixture)

ROUTES = [
    # (alert labels, the one receiver it must reach)
    (
        ["alertname=ServiceDown", "severity=critical", "environment=production", "job=azora-gateway"],
        "critical-production",
    ),
    (["alertname=ServiceDown", "severity=critical", "environment=staging", "job=azora-gateway"], "critical"),
    (["alertname=HighCPUUsage", "severity=warning", "environment=production", "job=node-exporter"], "team-email"),
    (["alertname=Trend", "severity=info", "environment=production"], "team-digest"),
    (
        ["alertname=CriticalAlertEscalation", "severity=critical", "escalation=senior", "environment=production"],
        "senior-engineers",
    ),
    (["alertname=Unlabelled"], "team-email"),
]


@pytest.fixture(scope="module")
def am(tree):
    return load(tree / ALERTMANAGER)


def test_amtool_check_config(tree):
    amtool = require_tool("amtool")
    result = run([amtool, "check-config", str(tree / ALERTMANAGER)])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


@pytest.mark.parametrize("labels,receiver", ROUTES, ids=[r for _, r in ROUTES])
def test_amtool_routes(tree, labels, receiver):
    amtool = require_tool("amtool")
    cmd = [
        amtool,
        "config",
        "routes",
        "test",
        f"--config.file={tree / ALERTMANAGER}",
        f"--verify.receivers={receiver}",
        *labels,
    ]
    result = run(cmd)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == receiver


def test_amtool_routes_test_can_fail(tree):
    # Proves the check above is not vacuous: a warning must not reach the critical receiver.
    amtool = require_tool("amtool")
    cmd = [
        amtool,
        "config",
        "routes",
        "test",
        f"--config.file={tree / ALERTMANAGER}",
        "--verify.receivers=critical",
        "severity=warning",
    ]
    assert run(cmd).returncode != 0


def _walk(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield f"{path}.{key}", key, value
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}[{i}]")


def test_no_secret_inline_and_every_secret_file_is_mounted(tree, am):
    inline = {"smtp_auth_password", "api_url", "routing_key", "service_key", "auth_password", "slack_api_url"}
    assert [p for p, key, _ in _walk(am) if key in inline] == []
    files = {v for _, key, v in _walk(am) if key.endswith("_file")}
    assert len(files) >= 3
    service = load(tree / COMPOSE)["services"]["alertmanager"]
    mounted = {f"/run/secrets/{name}" for name in service["secrets"]}
    assert files <= mounted


def test_escalation_timers(am):
    routes = {tuple(r["matchers"]): r for r in am["route"]["routes"]}
    critical = routes[('severity="critical"',)]
    assert critical["group_wait"] == "10s" and critical["repeat_interval"] == "1h"
    assert routes[('severity="warning"',)]["group_wait"] == "5m"
    info = routes[('severity="info"',)]
    assert info["group_wait"] == info["group_interval"] == "15m"
    assert am["route"]["group_by"] == ["alertname", "job"]


def test_warnings_inhibited_by_matching_critical(am):
    assert am["inhibit_rules"] == [
        {"source_matchers": ['severity="critical"'], "target_matchers": ['severity=~"warning|info"'], "equal": ["job"]}
    ]


def test_spec_channels_per_receiver(am):
    receivers = {r["name"]: r for r in am["receivers"]}
    for name in ("critical", "critical-production"):
        assert "team@azora.os" in [e["to"] for e in receivers[name]["email_configs"]]
        assert [s["channel"] for s in receivers[name]["slack_configs"]] == ["#alerts-critical"]
    assert "pagerduty_configs" in receivers["critical-production"]
    assert "pagerduty_configs" not in receivers["critical"]
    assert [e["to"] for e in receivers["team-email"]["email_configs"]] == ["team@azora.os"]
