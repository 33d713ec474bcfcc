"""Shared command behaviour: JSON errors on stdout, Ctrl-C exits 130 saying how far it got, no bar in CI."""

from __future__ import annotations

import json

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
    assert result.stderr.strip() == "error: interrupted after 2 of 4 dashboards linted"
    assert "Traceback" not in result.output


def test_no_progress_bar_when_not_on_a_terminal():
    result = invoke(["lint", BUILT])
    assert "dashboards linted" not in result.output


def test_top_level_help_never_cuts_summaries():
    result = invoke(["--help"])
    assert "..." not in result.stdout.split("Commands:")[1]
    assert "Draw built dashboards as self-contained SVGs, linked from an HTML index." in " ".join(result.stdout.split())
