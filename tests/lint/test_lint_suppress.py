"""panels.suppress(): declared in Python, carried beside the built JSON (never in it), honoured by lint."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from azora_dash import panels as P
from azora_dash import queries as Q
from azora_dash import variables as V
from azora_dash.build.compile import Compiled, take_marks
from azora_dash.build.normalize import normalize
from azora_dash.config import DEFAULT
from azora_dash.dashboard_file import DashboardFile
from azora_dash.lint import run
from azora_dash.panels import SUPPRESS_KEY
from azora_dash.schema.model import validate

BAD = "sum(rate(made_up_total[$__rate_interval]))"


def _compiled(*panels) -> Compiled:
    # What the build does: grafanalib JSON -> normalize -> suppressions taken out beside it.
    d = normalize(
        P.dashboard(DEFAULT, "t", "T", "D.", "test", [("Row", list(panels))], V.service_variables(DEFAULT)), DEFAULT
    )
    return Compiled(Path("t.py"), d, *take_marks(d))


def test_suppressed_problem_is_reported_but_does_not_fail():
    panel = P.suppress(
        P.timeseries("New", "A metric the catalogue lacks.", BAD, "ops"),
        "metrics/known",
        "target/job",
        reason="emitted from next release",
    )
    c = _compiled(panel, P.timeseries("Also new", "Not suppressed.", BAD, "ops"))
    assert validate(c.dashboard) == []
    result = run([DashboardFile(c.dashboard, "t.py", suppressions=c.suppressions)])
    known = [(p.panel_title, p.suppressed, p.reason) for p in result.problems if p.rule == "metrics/known"]
    assert known == [("New", True, "emitted from next release"), ("Also new", False, "")]
    # The same JSON without the build's side table: the exception is not in the artefact.
    bare = run([DashboardFile(c.dashboard, "t.json")])
    assert not any(p.suppressed for p in bare.problems)


def test_suppression_by_an_old_rule_id_still_applies():
    panel = P.suppress(P.timeseries("Up", "Up.", "up", "none"), "target-job", reason="fleet-wide")
    c = _compiled(panel)
    result = run([DashboardFile(c.dashboard, "t.py", suppressions=c.suppressions)])
    job = [(p.rule, p.suppressed, p.reason) for p in result.problems if p.rule == "target/job"]
    assert job == [("target/job", True, "fleet-wide")]


def test_suppress_leaves_the_built_json_pure_grafana():
    panel = P.suppress(P.stat("Up", "Up.", Q.up(DEFAULT), "none"), "target/job", reason="r")
    c = _compiled(panel)
    built = c.dashboard["panels"][1]
    assert "azoraLint" not in json.dumps(c.dashboard) and SUPPRESS_KEY not in json.dumps(c.dashboard)
    assert built["options"]["colorMode"] == "value"  # grafanalib's stat options are untouched
    assert c.suppressions == {built["id"]: {"target/job": "r"}}


def test_suppress_needs_rules_and_a_reason():
    with pytest.raises(ValueError):
        P.suppress(P.stat("Up", "Up.", "up", "none"), reason="x")
    with pytest.raises(ValueError):
        P.suppress(P.stat("Up", "Up.", "up", "none"), "target/job", reason=" ")


def test_panels_do_not_import_the_linter():
    """`azora-dash build` imports panels; it must not pay for promql_parser (house rule 1)."""
    code = (
        "import sys, azora_dash.panels, azora_dash.lint; "
        "print(sorted(m for m in ('promql_parser', 'azora_dash.lint.engine') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
