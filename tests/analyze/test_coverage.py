"""Coverage end to end: the real Prometheus of `make test` scraping the demo and node-exporter."""

from __future__ import annotations

import json
import shutil

import pytest

from azora_dash.analyze.coverage import Selector, family, selectors
from azora_dash.config import DEFAULT
from azora_dash.stack import RULES, SLO_RULES, generate

from ..conftest import ROOT, invoke
from ..verify.live_prometheus import binaries, live_stack

DASHBOARDS = ROOT / "provisioning" / "dashboards" / "azora"


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    out = tmp_path_factory.mktemp("monitoring")
    generate(DEFAULT, out)
    return [out / RULES, out / SLO_RULES]


@pytest.fixture(scope="module")
def stack(tmp_path_factory, rules):
    missing = [name for name, path in binaries().items() if not path]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed; run `make tools`")
    with live_stack(tmp_path_factory.mktemp("prom"), rules, always_firing=False) as live:
        yield live


def run(stack, rules, *args, exit_code=0):
    rule_args = [a for r in rules for a in ("--rules", r)]
    return invoke(["coverage", *args, "--prometheus", stack.url, *rule_args], exit_code=exit_code)


def test_every_azora_job_is_covered(stack, rules):
    result = run(stack, rules, DASHBOARDS, "--format", "json")
    doc = json.loads(result.stdout)
    jobs = {j["job"]: j for j in doc["jobs"]}
    for job in DEFAULT.service_jobs:
        assert jobs[job]["covered"], jobs[job]
        assert "ServiceDown" in jobs[job]["alerts"] and jobs[job]["up"]
        assert "azora-api-gateway" in jobs[job]["dashboards"]
    assert jobs["node-exporter"]["dashboards"] == ["azora-system-overview"]
    assert "ScrapeTargetDown" in jobs["node-exporter"]["alerts"]
    metrics = {m["metric"]: m for m in doc["metrics"]}
    # A histogram is one family: its _bucket, _sum and _count series count together.
    assert "http_request_duration_seconds" in metrics and "http_request_duration_seconds_bucket" not in metrics
    assert "alert:HighLatencyP95" in metrics["http_request_duration_seconds"]["used_by"]
    assert "record:slo:sli_error:ratio_rate5m" in metrics["http_requests_total"]["used_by"]
    assert any(not m["used_by"] and m["series"] > 0 for m in doc["metrics"])
    assert doc["absent"] == []
    assert doc["summary"]["services"] == {"covered": 8, "total": 8}
    # A real gap the report shows: no dashboard selects Prometheus's own job.
    assert doc["summary"]["infrastructure"] == {"covered": 5, "total": 6}
    assert jobs["prometheus"]["covered"] is False and jobs["prometheus"]["dashboards"] == []


def test_text_and_markdown_reports(stack, rules):
    text = run(stack, rules, DASHBOARDS).stdout
    assert "services covered: 8/8" in text and "unused metric families (" in text
    md = run(stack, rules, DASHBOARDS, "--format", "markdown").stdout
    assert md.startswith("**Monitoring coverage** services covered: 8/8")
    assert "| `azora-gateway` | service | yes |" in md


def test_a_job_without_its_panels_fails_naming_it(stack, rules, tmp_path):
    # Only the System Overview: no panel selects any Azora service (every service dashboard panel removed).
    shutil.copy(DASHBOARDS / "azora-system-overview.json", tmp_path)
    result = run(stack, rules, tmp_path, exit_code=1)
    for job in DEFAULT.service_jobs:
        assert f"service {job}: NOT covered (no dashboard)" in result.stdout
    assert "infrastructure node-exporter: covered" in result.stdout
    assert result.stdout.strip().endswith("services covered: 0/8, infrastructure: 4/6")


def test_metric_read_but_absent_fails(stack, tmp_path):
    bad = tmp_path / "rules.yml"
    bad.write_text("groups: [{name: g, rules: [{alert: Typo, expr: 'http_request_total{job=\"azora-gateway\"} > 0'}]}]")
    result = invoke(["coverage", DASHBOARDS, "--prometheus", stack.url, "--rules", bad], exit_code=1)
    assert "absent: http_request_total is read by alert:Typo" in result.stdout


def test_selectors_and_families():
    (sel,) = selectors('sum(rate(http_requests_total{job=~"azora-.*", job!="azora-auth"}[5m]))')
    held = {("azora-mint", "http_requests_total"): 3, ("azora-auth", "http_requests_total"): 3}
    assert sel.selects("azora-mint", held) and not sel.selects("azora-auth", held)
    assert not Selector("http_requests_total", [("=", "node-exporter")]).selects("node-exporter", held)
    assert family("payment_amount_bucket", {"payment_amount"}) == "payment_amount"
    assert family("payments_processed_total", {"payment_amount"}) == "payments_processed_total"
