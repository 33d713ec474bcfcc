"""prometheus.yml: checked by promtool, with the spec's jobs and the exporters in front of the databases."""

from __future__ import annotations

import pytest

from azora_dash.config import DEFAULT
from azora_dash.stack import PROMETHEUS, RULES, SLO_RULES

from .support import load, require_tool, run, tree  # noqa: F401 (fixture)


@pytest.fixture(scope="module")
def jobs(tree):
    return {j["job_name"]: j for j in load(tree / PROMETHEUS)["scrape_configs"]}


def test_promtool_check_config(tree):
    promtool = require_tool("promtool")
    # Run beside the file: rule_files are resolved relative to prometheus.yml, as in the container.
    result = run([promtool, "check", "config", "prometheus.yml"], cwd=(tree / PROMETHEUS).parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 2 rule files found" in result.stdout


def test_rule_files_are_the_generated_ones(tree):
    doc = load(tree / PROMETHEUS)
    assert [(tree / PROMETHEUS).parent / f for f in doc["rule_files"]] == [tree / RULES, tree / SLO_RULES]


def _targets(job):
    return [t for sc in job["static_configs"] for t in sc["targets"]]


def test_every_config_job_is_scraped_once(jobs):
    expected = {
        *DEFAULT.service_jobs,
        DEFAULT.node.job,
        DEFAULT.cadvisor.job,
        DEFAULT.postgres.job,
        DEFAULT.redis.job,
        DEFAULT.alertmanager.job,
        DEFAULT.prometheus.job,
    }
    assert set(jobs) == expected
    for svc in DEFAULT.services:
        assert _targets(jobs[svc.job]) == [f"{svc.host}:{svc.port}"]
        assert jobs[svc.job].get("scrape_interval", "") == svc.scrape_interval


def test_databases_are_scraped_through_exporters(jobs):
    assert _targets(jobs["postgres"]) == ["postgres-exporter:9187"]
    assert _targets(jobs["redis"]) == ["redis-exporter:9121"]
    every = [t for j in jobs.values() for t in _targets(j)]
    assert not [t for t in every if t.endswith((":5432", ":6379"))]


def test_alertmanager_is_the_alert_target(tree):
    doc = load(tree / PROMETHEUS)
    targets = [t for am in doc["alerting"]["alertmanagers"] for sc in am["static_configs"] for t in sc["targets"]]
    assert targets == [f"{DEFAULT.alertmanager.host}:{DEFAULT.alertmanager.port}"]
    assert doc["global"]["external_labels"]["environment"] == "production"
