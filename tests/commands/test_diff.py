"""``azora-dash diff`` through the CLI: sources, formats and exit codes 0/1/2."""

from __future__ import annotations

import json

import pytest

from ..conftest import ROOT, invoke
from ..diff.test_core import FIXTURES
from ..diff.test_sources import repo  # noqa: F401 - fixture


def pair(case: str) -> list:
    return [FIXTURES / case / "old", FIXTURES / case / "new"]


def test_no_differences_exits_0():
    result = invoke(["diff", *pair("noop_reorder")], exit_code=0)
    assert result.stdout == "No dashboard changes.\n"


@pytest.mark.parametrize("fmt, ext", [("text", "txt"), ("markdown", "md"), ("json", "json")])
def test_differences_exit_1_in_every_format(fmt, ext):
    result = invoke(["diff", *pair("query_changed"), "--format", fmt], exit_code=1)
    assert result.stdout == (FIXTURES / "query_changed" / f"expected.{ext}").read_text()


def test_json_is_machine_readable():
    result = invoke(["diff", *pair("panel_removed"), "--format", "json"], exit_code=1)
    assert json.loads(result.stdout)["changes"][0]["kind"] == "removed"


def test_missing_input_exits_2_with_one_line(tmp_path):
    result = invoke(["diff", tmp_path / "nope", FIXTURES / "query_changed" / "new"], exit_code=2)
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'nope'}: no such file or directory of dashboard JSON"
    ]


@pytest.mark.parametrize("args", [[], ["a", "b", "c"], ["--base", "HEAD", "a", "b"]])
def test_bad_usage_exits_2(args):
    result = invoke(["diff", *args], exit_code=2)
    assert "OLD" in result.stderr


def test_base_ref_against_working_tree(repo):  # noqa: F811
    alerts = repo / "dashboards" / "alerts.py"
    alerts.write_text(alerts.read_text().replace('"Alerts in Alertmanager"', '"Alerts held by Alertmanager"'))
    result = invoke(["diff", "--base", "HEAD"], exit_code=1, cwd=repo)
    # A panel's id comes from its title (layout.stable_id), so an unpinned rename is a new
    # panel at a new address: links to the old one break, and the diff says so.
    lines = result.stdout.splitlines()
    assert lines[0] == 'azora-alerts "Azora / Alerts"'
    assert any(line.endswith('"Alerts held by Alertmanager" added') for line in lines)
    assert any(line.endswith('"Alerts in Alertmanager" removed') for line in lines)


def test_base_ref_that_does_not_exist_exits_2(repo):  # noqa: F811
    result = invoke(["diff", "--base", "origin/main"], exit_code=2, cwd=repo)
    assert "origin/main: not a commit" in result.stderr


def test_grafana_side_compares_live_managed_dashboards_with_the_code(monkeypatch):
    """Against the stand-in Grafana (tests/fakes/grafana_stub.py): push the code, edit one live
    dashboard as a person would, add an unmanaged one to the folder, then diff."""
    from azora_dash.grafana import client as grafana_api

    from ..fakes.grafana_stub import running

    monkeypatch.setattr(grafana_api, "_sleep", lambda s: None)
    with running(token="tok") as stub:
        env = {"GRAFANA_URL": stub.url, "GRAFANA_TOKEN": "tok", "GRAFANA_USER": None, "GRAFANA_PASSWORD": None}
        invoke(["push", "--dashboards", ROOT / "dashboards"], env=env)
        assert (
            invoke(["diff", "--grafana", "--dashboards", ROOT / "dashboards"], env=env).stdout
            == "No dashboard changes.\n"
        )
        stub.human_save("azora-alerts", lambda d: d.update(title="Alerts (edited live)"))
        stub.save({"dashboard": {"uid": "hand-made", "title": "Hand made", "tags": []}, "folderUid": "azora"}, "bob")
        result = invoke(
            ["diff", "--grafana", "--dashboards", ROOT / "dashboards", "--format", "json"], exit_code=1, env=env
        )
    (change,) = json.loads(result.stdout)["changes"]
    assert (change["dashboard_uid"], change["scope"], change["fields"]) == (
        "azora-alerts",
        "dashboard",
        [{"field": "title", "old": "Alerts (edited live)", "new": "Azora / Alerts"}],
    )


def test_grafana_and_base_together_is_a_usage_error():
    result = invoke(["diff", "--grafana", "--base", "HEAD"], exit_code=2)
    assert "one of --base REF / --grafana" in result.stderr


def test_grafana_without_a_url_exits_2_with_one_line():
    env = {"GRAFANA_URL": None, "GRAFANA_TOKEN": None, "GRAFANA_USER": None, "GRAFANA_PASSWORD": None}
    result = invoke(["diff", "--grafana"], exit_code=2, env=env)
    assert result.stderr.strip().splitlines() == [
        "error: no Grafana URL: pass --url, set GRAFANA_URL, or choose --env NAME from azora-dash.yaml"
    ]


def test_two_uid_less_exports_diff_as_one_dashboard_and_are_never_called_not_a_dashboard(tmp_path):
    board = {"title": "Node", "schemaVersion": 14, "rows": [{"panels": [{"id": 1, "type": "graph", "title": "load"}]}]}
    (tmp_path / "before.json").write_text(json.dumps(board))
    board["rows"][0]["panels"][0]["title"] = "load1"
    (tmp_path / "after.json").write_text(json.dumps(board))
    result = invoke(["diff", tmp_path / "before.json", tmp_path / "after.json"], exit_code=1)
    assert "not a" not in result.output
    assert result.stdout.splitlines()[:2] == ['after "Node"', '  ~ panel 1 "load1" modified']
