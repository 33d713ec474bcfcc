"""Shared command behaviour: JSON errors on stdout, Ctrl-C exits 130 saying how far it got, no bar in CI."""

from __future__ import annotations

import json

import pytest

from azora_dash.lint.registry import RULES

from ..conftest import ROOT, invoke

BUILT = ROOT / "provisioning/dashboards/azora"


def test_json_format_failure_prints_an_error_object_on_stdout(tmp_path):
    result = invoke(["validate", "--format", "json", tmp_path / "missing.json"], exit_code=2)
    error = json.loads(result.stdout)["error"]
    assert error.startswith(f"{tmp_path / 'missing.json'}: no such file")
    assert result.stderr.startswith("error: ")


def test_ctrl_c_exits_130_and_says_how_far_it_got(monkeypatch):
    seen = []

    def interrupt(self, ctx):
        seen.append(ctx)
        if len(seen) == 3:
            raise KeyboardInterrupt
        return []

    monkeypatch.setattr(RULES[0], "check", interrupt)
    result = invoke(["lint", BUILT], exit_code=130)
    assert result.stderr.strip() == "error: interrupted after 2 of 6 dashboards linted"
    assert "Traceback" not in result.output


def test_no_progress_bar_when_not_on_a_terminal():
    result = invoke(["lint", BUILT])
    assert "dashboards linted" not in result.output


def test_top_level_help_never_cuts_summaries():
    result = invoke(["--help"])
    assert "..." not in result.stdout.split("Commands:")[1]
    assert "Draw built dashboards as self-contained SVGs, linked from an HTML index." in " ".join(result.stdout.split())


def _bad_dashboard(tmp_path):
    from azora_dash.jsonio import dumps

    from ..lint.lint_helpers import dashboard, panel

    path = tmp_path / "bad.json"
    path.write_text(dumps(dashboard(panel("sum(rate(http_requests_total[5m]))", unit="reqps"))), encoding="utf-8")
    return path


@pytest.mark.parametrize("no_color, coloured", [(None, True), ("1", False)])
def test_problems_and_changes_are_coloured_on_a_terminal_unless_no_color(tmp_path, monkeypatch, no_color, coloured):
    from azora_dash.commands import common

    monkeypatch.setattr(common, "is_terminal", lambda stream: True)
    bad = _bad_dashboard(tmp_path)
    lint = invoke(["lint", bad, "--rule", "target/rate-interval"], exit_code=1, env={"NO_COLOR": no_color})
    assert ("\x1b[31merror\x1b[0m [target/rate-interval]" in lint.stdout) is coloured
    assert ("\x1b[" in lint.stdout) is coloured
    other = tmp_path / "other.json"
    other.write_text(bad.read_text().replace("http_requests_total", "http_requests_total2"), encoding="utf-8")
    changed = invoke(["diff", bad, other], exit_code=1, env={"NO_COLOR": no_color})
    assert ("\x1b[33m" in changed.stdout) is coloured and "modified" in changed.stdout


def test_no_colour_off_a_terminal(tmp_path):
    lint = invoke(["lint", _bad_dashboard(tmp_path)], exit_code=1, env={"NO_COLOR": None})
    assert "\x1b[" not in lint.output and "error [" in lint.stdout
