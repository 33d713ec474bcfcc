"""``--profile``: house-style rules off as a group for foreign dashboards; lint says which profile it used."""

from __future__ import annotations

import json

import pytest

from azora_dash.errors import ConfigError
from azora_dash.lint import run
from azora_dash.lint.profiles import profile_of
from azora_dash.lint.registry import RULES

from .lint_helpers import dashboard, panel
from .test_lint_cli import _write, invoke

# No description (panel/title-description) and a metric Azora's catalogue lacks (metrics/known):
# house style only, so a foreign dashboard like this is clean under "foreign".
FOREIGN = dashboard(
    panel('sum(rate(weave_flows_total{job=~"$job", instance=~"$instance"}[$__rate_interval]))', description=""),
    tags=["weave"],
)


def _rules(result) -> set[str]:
    return {p.rule for p in result.problems}


def test_foreign_profile_turns_off_every_house_rule_and_nothing_else():
    azora = run([("a.json", FOREIGN)], profile="azora")
    foreign = run([("a.json", FOREIGN)], profile="foreign")
    assert {"metrics/known", "panel/title-description"} <= _rules(azora)
    house = {r.id for r in RULES if r.group == "house"}
    assert _rules(foreign) == _rules(azora) - house


def test_correctness_profile_keeps_broken_queries_only():
    board = dashboard(panel("sum(rate(x_total[5m])", unit="seconds"))
    result = run([("a.json", board)], profile="correctness")
    assert _rules(result) == {"promql/syntax"}


def test_auto_is_azora_for_built_dashboards_and_foreign_otherwise():
    assert profile_of({"tags": ["azora", "managed-by-azora-dash"]}, "auto") == "azora"
    assert profile_of({"tags": ["node-exporter"]}, "auto") == "foreign"
    assert profile_of({"tags": None}, "auto") == "foreign"
    assert profile_of({}, "foreign") == "foreign"


def test_unknown_profile_is_a_usage_error():
    with pytest.raises(ConfigError, match="unknown lint profile 'mine'"):
        run([("a.json", FOREIGN)], profile="mine")


def test_cli_defaults_to_auto_and_says_what_it_chose(tmp_path):
    ours = dict(FOREIGN, tags=["managed-by-azora-dash"], uid="ours")
    a, b = _write(tmp_path, "theirs.json", FOREIGN), _write(tmp_path, "ours.json", ours)
    out = invoke([str(a), str(b)], exit_code=1)
    assert "profile auto: 1 azora, 1 foreign" in out.output
    theirs = [line for line in out.output.splitlines() if "theirs.json" in line]
    assert not any("panel/title-description" in line for line in theirs)
    assert any("panel/title-description" in line for line in out.output.splitlines() if "ours.json" in line)


def test_json_names_the_profile(tmp_path):
    path = _write(tmp_path, "theirs.json", FOREIGN)
    doc = json.loads(invoke(["--format", "json", "--profile", "foreign", str(path)]).output)
    assert doc["profile"] == "foreign" and doc["profiles"] == {"foreign": 1}
    assert doc["problems"] == []
