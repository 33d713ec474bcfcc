"""The metric catalogue: type expansion, target labels, user files, and coverage of our dashboards."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from azora_dash.build.project import render
from azora_dash.config import DEFAULT
from azora_dash.errors import ConfigError
from azora_dash.lint import catalogue as cat
from azora_dash.lint import run, select_rules
from azora_dash.lint.registry import RULES
from azora_dash.stack import SLO_RULES
from azora_dash.stack import render as render_stack

ROOT = Path(__file__).resolve().parents[2]


def test_histogram_expands_to_bucket_sum_count():
    c = cat.load()
    bucket, total, count = (c.get(f"http_request_duration_seconds{s}") for s in ("_bucket", "_sum", "_count"))
    assert bucket.labels == {"method", "route", "status_code", "le", "job", "instance"}
    assert "le" not in total.labels and "le" not in count.labels
    assert {bucket.type, total.type, count.type} == {"counter"}
    assert c.get("http_request_duration_seconds") is None  # a classic histogram has no bare series


def test_rule_engine_series_have_no_target_labels():
    c = cat.load()
    assert "job" not in c.get("ALERTS").labels and c.get("ALERTS").open
    assert {"job", "instance"} <= c.get("up").labels


def test_user_file_adds_and_replaces(tmp_path):
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        "target_labels: [job]\nmetrics:\n  active_users: {type: gauge, labels: [tenant]}\n"
        "  queue_latency: {type: summary, labels: [queue]}\n",
        encoding="utf-8",
    )
    c = cat.load([extra])
    assert c.get("active_users").labels == {"tenant", "job"}
    assert c.get("queue_latency").labels == {"queue", "quantile", "job"}
    assert c.get("queue_latency_count").type == "counter"


def test_bad_user_file_names_itself(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("metrics:\n  x: {type: meter}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.yaml: metric 'x' has type 'meter'"):
        cat.load([bad])


def test_catalogue_knows_every_metric_and_label_our_dashboards_use():
    compiled, _ = render(DEFAULT, ROOT / "dashboards")
    result = run([(c.uid, c.dashboard) for c in compiled], select_rules(RULES, only=["metrics/known"]))
    assert [(p.dashboard_uid, p.panel_title, p.message) for p in result.problems] == []


# owner/repo@tag:path at a pinned release tag, or a file of this repository (instrumentation, SLO recordings).
SOURCE = r"[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+:[\w./-]+\.(go|js)|instrumentation/node/[\w./-]+\.js|azora_dash/stack/slos\.py"


def _entries():
    return yaml.safe_load(cat.DEFAULT_PATH.read_text(encoding="utf-8"))["metrics"]


def test_every_family_cites_its_source_at_a_pinned_version():
    for name, entry in _entries().items():
        assert re.fullmatch(SOURCE, entry.get("source", "")), f"{name}: source {entry.get('source')!r}"
        for version, labels in (entry.get("labels_at") or {}).items():
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+", version), f"{name}: labels_at {version!r}"
            assert set(labels) <= set(entry["labels"]), f"{name}: {version} labels are not a subset"


def test_local_sources_define_their_families():
    for name, entry in _entries().items():
        if entry["source"].startswith("instrumentation/"):
            assert f"name: '{name}'" in (ROOT / entry["source"]).read_text(encoding="utf-8"), name
        if entry["source"] == "azora_dash/stack/slos.py":
            assert f"record: {name}\n" in render_stack(DEFAULT)[SLO_RULES], name


def test_exporter_label_sets_match_the_pinned_versions():
    c = cat.load()
    # postgres_exporter v0.15.0's builtin pg_stat_activity map plus its constant `server` label.
    assert c.get("pg_stat_activity_count").labels == {
        "datname",
        "state",
        "usename",
        "application_name",
        "server",
        "job",
        "instance",
    }
    # cAdvisor adds one container_label_* per Docker label.
    cadvisor = [n for n, e in _entries().items() if e["source"].startswith("google/cadvisor@")]
    assert cadvisor and all(c.get(n).open for n in cadvisor)
