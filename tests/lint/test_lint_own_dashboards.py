"""The repo's own dashboards lint with zero errors, built in memory and as committed."""

from __future__ import annotations

import json
from pathlib import Path

from azora_dash.build.project import built_files, render
from azora_dash.config import DEFAULT
from azora_dash.lint import Severity, load_paths, run

ROOT = Path(__file__).resolve().parents[2]


def _errors(result):
    return [(p.dashboard_uid, p.panel_title, p.rule, p.message) for p in result.failing(Severity.ERROR)]


def test_built_dashboards_have_no_errors():
    compiled, _ = render(DEFAULT, ROOT / "dashboards")
    result = run([(str(c.source), c.dashboard) for c in compiled])
    assert result.dashboards == len(compiled) >= 4
    assert _errors(result) == []


def test_committed_dashboards_have_no_errors():
    result = run(load_paths([ROOT / "provisioning" / "dashboards" / "azora"]))
    assert result.dashboards >= 4
    assert _errors(result) == []


def test_suppressions_in_code_reach_lint_beside_the_json():
    alerts = next(f for f in built_files(DEFAULT, ROOT / "dashboards") if f.uid == "azora-alerts")
    assert "__azoraLint" not in json.dumps(alerts.dashboard) and "azoraLint" not in json.dumps(alerts.dashboard)
    result = run([alerts])
    suppressed = [p for p in result.problems if p.suppressed]
    assert suppressed and {p.rule for p in suppressed} == {"target/job", "target/instance"}
    assert all(p.reason for p in suppressed)
