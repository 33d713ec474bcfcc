"""End to end: real Prometheus scraping the demo exporter and node-exporter; verify every panel and rule."""

from __future__ import annotations

import json

import pytest
import yaml

from azora_dash.verify.core import DEFAULT_RULES, collect, make_window, run_all
from azora_dash.verify.prometheus import PrometheusClient

from ..conftest import ROOT, invoke
from .live_prometheus import binaries, free_port, live_stack, running

DASHBOARDS = ROOT / "provisioning" / "dashboards" / "azora"
SLO_RULES = DEFAULT_RULES.parent / "slo_rules.yml"
WRONG = 'sum(rate(http_requests_total{job=~"$job", status="500"}[$__rate_interval]))'


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    missing = [name for name, path in binaries().items() if not path]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed; run `make tools`")
    # The generated alert rules are verified too, and the SLO recordings the SLOs dashboard reads.
    generated = [ROOT / DEFAULT_RULES, ROOT / SLO_RULES]
    with live_stack(tmp_path_factory.mktemp("prom"), generated) as live:
        yield live


def run_verify(stack, paths, exit_code, rules=(), env=None, cwd=None):
    # Prometheus scrapes every 1 s; telling verify 2 s widens $__rate_interval to 8 s, a margin
    # for a busy 2-core machine delaying a scrape (rate() needs two samples in the window).
    args = [
        "verify",
        *map(str, paths),
        "--prometheus",
        stack.url,
        "--range",
        "5m",
        "--scrape-interval",
        "2s",
        "--format",
        "json",
    ]
    for r in rules:
        args += ["--rules", str(r)]
    return json.loads(invoke(args, exit_code, env=env, cwd=cwd).stdout)


def test_every_panel_and_rule_returns_data(stack):
    doc = run_verify(stack, [DASHBOARDS], 0, rules=stack.rules)
    bad = [
        f"{r['container']} / {r['name']} [{r['ref']}]: {r['status']} {r['detail']}"
        for r in doc["results"]
        if r["status"] != "ok"
    ]
    assert bad == []
    panels = [r for r in doc["results"] if r["kind"] == "panel"]
    assert {r["container"] for r in panels} == {p.stem for p in DASHBOARDS.glob("*.json")}
    assert all(r["series"] > 0 for r in panels)
    variables = {(r["container"], r["name"]): r["series"] for r in doc["results"] if r["kind"] == "variable"}
    assert variables[("azora-api-gateway", "$job")] == len(stack.service_jobs)  # one option per Azora service
    assert variables[("azora-system-overview", "$job")] == 4  # node-exporter, cadvisor, postgres, redis
    assert doc["summary"]["ok"] == doc["summary"]["targets"] == len(doc["results"])
    rules = [
        r.get("alert") or r.get("record")
        for f in stack.rules
        for g in yaml.safe_load(f.read_text())["groups"]
        for r in g["rules"]
    ]
    assert sorted(r["name"] for r in doc["results"] if r["kind"] in ("alert", "record")) == sorted(rules)
    # Time-series panels ran as range queries over a window ending now.
    assert any(r["range"] for r in panels) and any(not r["range"] for r in panels)


def _dashboard(tmp_path, exprs):
    panels = [
        {"id": i, "type": "timeseries", "title": f"p{i}", "targets": [{"refId": "A", "expr": e}]}
        for i, e in enumerate(exprs, 1)
    ]
    path = tmp_path / "wrong.json"
    path.write_text(
        json.dumps(
            {
                "uid": "wrong",
                "title": "Wrong",
                "panels": panels,
                "templating": {
                    "list": [
                        {
                            "type": "query",
                            "name": "job",
                            "allValue": ".+",
                            "query": 'label_values(up{job="azora-nope"}, job)',
                        }
                    ]
                },
            }
        )
    )
    return path


def test_wrong_queries_are_named(stack, tmp_path):
    exprs = [
        WRONG,
        "sum(azora_no_such_metric_total)",
        'http_requests_total{job="azora-auth", route="/nowhere"}',
        "sum(rate(http_requests_total[5m])",
    ]
    # Run outside the repo, so the default rule file is not picked up.
    doc = run_verify(stack, [_dashboard(tmp_path, exprs)], 1, cwd=tmp_path)
    by_name = {r["name"]: r for r in doc["results"]}
    wrong = by_name["p1 (id 1)"]
    assert wrong["status"] == "empty"
    assert 'status="500"' in wrong["detail"] and "label status does not exist on http_requests_total" in wrong["detail"]
    assert "status_code" in wrong["detail"]  # the label that does exist is offered
    assert "$" not in wrong["query"]  # variables were substituted before querying
    assert by_name["p2 (id 2)"]["detail"] == "metric azora_no_such_metric_total has no series"
    assert 'route="/nowhere"' in by_name["p3 (id 3)"]["detail"] and "/api/auth/login" in by_name["p3 (id 3)"]["detail"]
    assert by_name["p4 (id 4)"]["status"] == "error" and "parse error" in by_name["p4 (id 4)"]["detail"]
    assert by_name["$job"]["status"] == "empty" and 'job="azora-nope"' in by_name["$job"]["detail"]
    assert doc["summary"] == {"targets": 5, "ok": 0, "empty": 4, "error": 1}


def test_alert_rule_not_firing_is_ok_but_missing_input_is_not(stack, tmp_path):
    rules = tmp_path / "rules.yml"
    rules.write_text(
        "groups:\n- name: g\n  rules:\n"
        '  - alert: Quiet\n    expr: up{job="azora-auth"} == 0\n'
        '  - alert: Broken\n    expr: rate(http_requests_total{status="500"}[1m]) > 0\n'
        "  - record: job:up:sum\n    expr: sum by (job) (up)\n"
        '  - alert: Escalation\n    expr: ALERTS{alertname="NoSuchAlert"} and on() up{job="redis"}\n'
    )
    results = run_all(PrometheusClient(stack.url), collect([], [rules]), make_window("5m", "2s"))
    status = {r.target.name: (r.status, r.detail) for r in results}
    assert status["Quiet"] == ("ok", "not firing; every selector matches series")
    assert status["Broken"][0] == "empty" and "label status does not exist" in status["Broken"][1]
    assert status["job:up:sum"][0] == "ok"
    # ALERTS exist only while alerts fire: a rule reading them is quiet, not broken.
    assert status["Escalation"] == ("ok", "not firing; every selector matches series")


def test_text_output_has_summary_and_keeps_credentials_out(stack, tmp_path):
    env = {"PROMETHEUS_USER": "azora", "PROMETHEUS_PASSWORD": "pw-should-not-leak"}
    result = invoke(["verify", str(_dashboard(tmp_path, [WRONG])), "--prometheus", stack.url], 1, env=env, cwd=tmp_path)
    assert result.stdout.splitlines()[1].startswith("empty  wrong / p1 (id 1) [A]: label status does not exist")
    assert result.stderr.strip() == "2 targets: 0 ok, 2 empty, 0 error"
    assert "pw-should-not-leak" not in result.output


def test_unreachable_prometheus_exits_2_without_credentials(tmp_path):
    url = f"http://azora:hunter2@127.0.0.1:{free_port()}"
    result = invoke(
        ["verify", str(_dashboard(tmp_path, ["up"])), "--prometheus", url], 2, env={"PROMETHEUS_TOKEN": "tok-secret"}
    )
    assert "cannot reach Prometheus at http://127.0.0.1:" in result.stderr
    assert "hunter2" not in result.output and "tok-secret" not in result.output


def test_processes_are_stopped_even_when_the_body_fails(tmp_path):
    with pytest.raises(RuntimeError):
        with running(["sleep", "60"], tmp_path / "sleep.log") as proc:
            raise RuntimeError("test body failed")
    assert proc.poll() is not None  # reaped: terminated by PID, not left running


@pytest.fixture(scope="module")
def quiet_stack(tmp_path_factory):
    """A Prometheus where no alert fires, like a healthy staging: ALERTS has no series at all."""
    missing = [name for name, path in binaries().items() if not path]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed; run `make tools`")
    with live_stack(tmp_path_factory.mktemp("quiet"), always_firing=False) as live:
        yield live


def test_alert_panels_are_quiet_not_empty_when_nothing_fires(quiet_stack, tmp_path):
    from azora_dash.verify.core import QUIET

    doc = run_verify(quiet_stack, [DASHBOARDS / "azora-alerts.json"], 0, cwd=tmp_path)
    alert_panels = [r for r in doc["results"] if r["kind"] == "panel" and "ALERTS" in r["query"]]
    assert alert_panels and all(r["status"] == "ok" and r["detail"] == QUIET for r in alert_panels)
    # Quiet covers ALERTS only: another selector matching nothing still makes the panel empty.
    broken = 'ALERTS{alertstate="firing"} and on() up{job="azora-nope"}'
    doc = run_verify(quiet_stack, [_dashboard(tmp_path, [broken])], 1, cwd=tmp_path)
    (result,) = [r for r in doc["results"] if r["kind"] == "panel"]
    assert result["status"] == "empty" and 'job="azora-nope"' in result["detail"]
