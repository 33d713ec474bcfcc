"""One gate: for our own dashboards an unknown metric fails `make dashboards` and `make check`."""

from __future__ import annotations

import subprocess

from .conftest import ROOT, invoke


def test_an_unknown_metric_fails_the_gate(tmp_path):
    built = (ROOT / "provisioning/dashboards/azora/azora-api-gateway.json").read_text()
    assert "http_requests_total" in built
    typo = tmp_path / "typo.json"
    typo.write_text(built.replace("http_requests_total", "http_request_total"))
    result = invoke(["lint", "--fail-on", "warning", typo], exit_code=1)
    assert "metric 'http_request_total' is not in the metric catalogue" in result.stdout
    assert "azora_dash/lint/catalogue.yaml" in result.stdout


def test_make_dashboards_and_check_lint_with_warnings_failing():
    for target in ("dashboards", "check"):
        plan = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, check=True).stdout
        assert "azora-dash lint --fail-on warning" in plan, plan


def test_list_rules_points_where_the_readme_does():
    result = invoke(["lint", "--list-rules"])
    readme = (ROOT / "README.md").read_text()
    assert "azora_dash/lint/catalogue.yaml" in result.stderr and "azora_dash/lint/catalogue.yaml" in readme
