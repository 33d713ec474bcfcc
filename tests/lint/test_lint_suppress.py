"""panels.suppress(): recorded in the panel's open `options`, valid JSON schema, honoured by lint."""

from __future__ import annotations

import subprocess
import sys

import pytest

from azora_dash import panels as P
from azora_dash import queries as Q
from azora_dash import variables as V
from azora_dash.build.normalize import normalize
from azora_dash.config import DEFAULT
from azora_dash.lint import run
from azora_dash.schema.model import validate

BAD = "sum(rate(made_up_total[$__rate_interval]))"


def _dashboard(*panels):
    return normalize(
        P.dashboard(DEFAULT, "t", "T", "D.", "test", [("Row", list(panels))], V.service_variables(DEFAULT)), DEFAULT
    )


def test_suppressed_problem_is_reported_but_does_not_fail():
    panel = P.suppress(
        P.timeseries("New", "A metric the catalogue lacks.", BAD, "ops"),
        "metrics/known",
        "target-job",
        reason="emitted from next release",
    )
    d = _dashboard(panel, P.timeseries("Also new", "Not suppressed.", BAD, "ops"))
    assert validate(d) == []
    result = run([("t", d)])
    known = [(p.panel_title, p.suppressed, p.reason) for p in result.problems if p.rule == "metrics/known"]
    assert known == [("New", True, "emitted from next release"), ("Also new", False, "")]


def test_suppress_keeps_the_panels_own_options():
    panel = P.suppress(P.stat("Up", "Up.", Q.up(DEFAULT), "none"), "target-job", reason="r")
    options = _dashboard(panel)["panels"][1]["options"]
    assert options["azoraLint"] == {"ignore": {"target-job": "r"}}
    assert options["colorMode"] == "value"  # grafanalib's stat options survive the deep merge


def test_suppress_needs_rules_and_a_reason():
    with pytest.raises(ValueError):
        P.suppress(P.stat("Up", "Up.", "up", "none"), reason="x")
    with pytest.raises(ValueError):
        P.suppress(P.stat("Up", "Up.", "up", "none"), "target-job", reason=" ")


def test_panels_share_the_key_without_importing_the_linter():
    """`azora-dash build` imports panels; it must not pay for promql_parser (house rule 1)."""
    code = (
        "import sys, azora_dash.panels, azora_dash.lint; "
        "print(sorted(m for m in ('promql_parser', 'azora_dash.lint.engine') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
