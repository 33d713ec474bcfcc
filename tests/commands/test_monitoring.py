"""`azora-dash monitoring`: writes the stack atomically and only when changed; --check is the drift check."""

from __future__ import annotations

import json

from azora_dash.config import DEFAULT
from azora_dash.jsonio import plan_tree
from azora_dash.stack import ALERTMANAGER, COMPOSE, OWNED, PROMETHEUS, RULES, render

from ..conftest import ROOT, invoke


def test_writes_every_file_then_nothing(tmp_path):
    out = tmp_path / "monitoring"
    first = invoke(["monitoring", "--out", str(out)])
    for rel in (RULES, PROMETHEUS, ALERTMANAGER, COMPOSE):
        assert f"wrote {out / rel}" in first.stdout
        assert (out / rel).read_text() == render(DEFAULT)[rel]
    mtime = (out / RULES).stat().st_mtime_ns
    assert invoke(["monitoring", "--out", str(out)]).stdout == ""
    assert (out / RULES).stat().st_mtime_ns == mtime


def test_check_names_stale_and_extra_files(tmp_path):
    out = tmp_path / "monitoring"
    invoke(["monitoring", "--out", str(out)])
    invoke(["monitoring", "--out", str(out), "--check"])
    (out / RULES).write_text("groups: []\n")
    (out / "prometheus" / "old_rules.yml").write_text("groups: []\n")
    result = invoke(["monitoring", "--out", str(out), "--check"], exit_code=1)
    assert result.stdout.splitlines() == [f"stale: {out / RULES}", f"stale: {out / 'prometheus/old_rules.yml'}"]
    assert "2 monitoring file(s) differ" in result.stderr
    assert (out / RULES).read_text() == "groups: []\n"  # --check wrote nothing
    invoke(["monitoring", "--out", str(out)])
    assert not (out / "prometheus" / "old_rules.yml").exists()


def test_json_format(tmp_path):
    out = tmp_path / "m"
    doc = json.loads(invoke(["monitoring", "--out", str(out), "--format", "json"]).stdout)
    assert doc["check"] is False and sorted(doc["written"]) == sorted(render(DEFAULT))
    doc = json.loads(invoke(["monitoring", "--out", str(out), "--check", "--format", "json"]).stdout)
    assert doc["written"] == [] and sorted(doc["unchanged"]) == sorted(render(DEFAULT))


def test_unwritable_output_is_a_one_line_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = invoke(["monitoring", "--out", str(blocker)], exit_code=2)
    assert result.stderr.count("\n") == 1 and "error:" in result.stderr


def test_committed_monitoring_files_are_current():
    # Same as `make check`'s `azora-dash monitoring --check`, run from the repository.
    assert plan_tree(ROOT / "monitoring", render(DEFAULT), OWNED).changed == []
