"""``azora-dash lint`` end to end through click: formats, exit codes, selection, catalogue."""

from __future__ import annotations

import json

from click.testing import CliRunner

from azora_dash.cli import cli
from azora_dash.jsonio import dumps

from .lint_helpers import dashboard, panel


def invoke(args, exit_code=0):
    result = CliRunner().invoke(cli, ["lint", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == exit_code, result.output
    return result


def _write(tmp_path, name, board):
    path = tmp_path / name
    path.write_text(dumps(board), encoding="utf-8")
    return path


def test_clean_dashboard_exits_0(tmp_path):
    path = _write(
        tmp_path,
        "ok.json",
        dashboard(
            panel('sum(rate(http_requests_total{job=~"$job", instance=~"$instance"}[$__rate_interval]))', unit="reqps")
        ),
    )
    assert "0 error, 0 warning" in invoke([str(path)]).output


def test_error_exits_1_and_names_file_line_and_rule(tmp_path):
    path = _write(
        tmp_path,
        "bad.json",
        dashboard(
            panel(
                'sum(rate(http_requests_total{status=~"5..", job=~"$job", instance=~"$instance"}[$__rate_interval]))',
                id=7,
            )
        ),
    )
    out = invoke([str(path)], exit_code=1).output
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text.strip() == '"id": 7,')
    assert (
        f"{path}:{line}: case panel 7 'Panel': error [metrics/known] metric 'http_requests_total' has no label 'status'"
        in out
    )


def test_fail_on_warning(tmp_path):
    path = _write(
        tmp_path, "warn.json", dashboard(panel('sum(rate(http_requests_total{job=~"$job"}[$__rate_interval]))'))
    )
    invoke([str(path)], exit_code=0)
    invoke([str(path), "--fail-on", "warning"], exit_code=1)


def test_github_annotations(tmp_path):
    path = _write(tmp_path, "bad.json", dashboard(panel("rate(active_users[5m])", id=3)))
    out = invoke([str(path), "--format", "github", "--rule", "promql/rate-on-gauge"], exit_code=1).output
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text.strip() == '"id": 3,')
    assert out.splitlines()[0] == (
        f"::error file={path},line={line},title=promql/rate-on-gauge::case: panel 3 'Panel': "
        "rate() over gauge 'active_users' (the catalogue lists it as a gauge); use the value "
        "itself or avg_over_time()"
    )


def test_json_shows_suppressed_problems_without_failing(tmp_path):
    bad = panel("sum(rate(made_up_total[$__rate_interval]))")
    path = _write(tmp_path, "s.json", dashboard(bad))
    # dashboard-linter's sidecar format, with its rule naming ("-rule" suffix)
    (tmp_path / ".lint").write_text("exclusions:\n  metrics/known:\n    reason: new metric\n", encoding="utf-8")
    out = invoke([str(path), "--format", "json", "--rule", "metrics/known", "--fail-on", "warning"]).output
    problems = json.loads(out)["problems"]
    assert [(p["rule"], p["suppressed"], p["reason"]) for p in problems] == [("metrics/known", True, "new metric")]
    text = invoke([str(path), "--rule", "metrics/known", "--fail-on", "warning"]).output
    assert "made_up_total" not in text and "1 suppressed" in text  # text lists only what needs attention
    listed = invoke([str(path), "--rule", "metrics/known", "--list-suppressed"]).output
    assert "[metrics/known] new metric" in listed


def test_sidecar_entries_match_dashboard_and_panel_titles(tmp_path):
    path = _write(tmp_path, "s.json", dashboard(panel("sum(rate(made_up_total[$__rate_interval]))")))
    title = json.loads(path.read_text())["title"]
    (tmp_path / ".lint").write_text(
        "exclusions:\n  target-job-rule:\n    reason: fleet-wide\n    entries:\n"
        f"      - dashboard: {json.dumps(title)}\n        panel: nobody\n",
        encoding="utf-8",
    )
    problems = json.loads(
        invoke([str(path), "--format", "json", "--rule", "metrics/known", "--fail-on", "warning"], 1).output
    )["problems"]
    assert problems and not any(p["suppressed"] for p in problems)  # another rule's exclusion does not apply
    (tmp_path / ".lint").write_text("exclusions: [oops]\n", encoding="utf-8")
    result = invoke([str(path)], 2)
    assert ".lint: expected `exclusions:`" in result.output


def test_rule_selection_and_disable(tmp_path):
    path = _write(tmp_path, "bad.json", dashboard(panel("rate(active_users[5m])")))
    invoke([str(path), "--disable", "promql/rate-on-gauge", "--disable", "target/rate-interval"])
    invoke([str(path), "--rule", "target/rate-interval"], exit_code=1)


def test_user_catalogue_makes_a_metric_known(tmp_path):
    path = _write(
        tmp_path,
        "m.json",
        dashboard(panel('sum(rate(orders_total{job=~"$job", instance=~"$instance", shop="a"}[$__rate_interval]))')),
    )
    cat = tmp_path / "cat.yaml"
    cat.write_text("metrics:\n  orders_total: {type: counter, labels: [shop]}\n", encoding="utf-8")
    invoke([str(path), "--rule", "metrics/known", "--fail-on", "warning"], exit_code=1)
    invoke([str(path), "--rule", "metrics/known", "--fail-on", "warning", "--catalogue", str(cat)])


def test_usage_and_input_errors_exit_2(tmp_path):
    assert "unknown rule 'nope'" in invoke(["--rule", "nope"], exit_code=2).output
    assert "missing.json: no such file or directory" in invoke([str(tmp_path / "missing.json")], exit_code=2).output
    (tmp_path / "x.json").write_text("{", encoding="utf-8")
    assert "invalid JSON" in invoke([str(tmp_path / "x.json")], exit_code=2).output
    (tmp_path / "cat.yaml").write_text("metrics:\n  a: {type: counterr}\n", encoding="utf-8")
    assert "counterr" in invoke(["--catalogue", str(tmp_path / "cat.yaml"), str(tmp_path)], exit_code=2).output


def test_api_export_wrapper_is_unwrapped(tmp_path):
    path = _write(tmp_path, "export.json", {"dashboard": dashboard(panel("rate(active_users[5m])")), "meta": {}})
    out = invoke([str(path), "--rule", "promql/rate-on-gauge"], exit_code=1).output
    assert "active_users" in out


def test_dashboard_level_problem_points_at_its_key(tmp_path):
    path = _write(tmp_path, "e.json", dashboard(editable=True))
    out = invoke([str(path), "--rule", "dashboard/uneditable"], exit_code=1).output
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text.startswith('  "editable"'))
    assert out.startswith(f"{path}:{line}: case: error [dashboard/uneditable] is editable")


def test_list_rules_names_every_rule():
    from azora_dash.lint.registry import RULES

    out = invoke(["--list-rules"]).stdout
    assert [line.split()[0] for line in out.splitlines()] == [r.id for r in RULES]


def test_rule_ids_share_one_style_and_old_ids_still_select(tmp_path):
    from azora_dash.lint.registry import RULES

    assert all(r.id.count("/") == 1 and r.id == r.id.lower() for r in RULES)
    path = _write(tmp_path, "bad.json", dashboard(panel("sum(rate(http_requests_total[5m]))", unit="reqps")))
    new = json.loads(invoke([str(path), "--format", "json", "--rule", "target/rate-interval"], 1).output)
    old = json.loads(invoke([str(path), "--format", "json", "--rule", "target-rate-interval"], 1).output)
    assert new == old and {p["rule"] for p in new["problems"]} == {"target/rate-interval"}
    disabled = invoke(
        [str(path), "--format", "json", "--rule", "target/rate-interval", "--disable", "target-rate-interval"]
    )
    assert json.loads(disabled.output)["problems"] == []


def test_old_rule_id_in_a_lint_file_still_suppresses(tmp_path):
    path = _write(tmp_path, "s.json", dashboard(panel("sum(rate(http_requests_total[5m]))", unit="reqps")))
    (tmp_path / ".lint").write_text("exclusions:\n  target-rate-interval:\n    reason: old name\n", encoding="utf-8")
    out = invoke([str(path), "--format", "json", "--rule", "target/rate-interval"]).output
    assert [(p["rule"], p["suppressed"]) for p in json.loads(out)["problems"]] == [("target/rate-interval", True)]


def test_resource_and_v2_dashboards_are_linted_like_classic_ones(tmp_path):
    """Grafana 12's resource forms go through dashboard_file.load (v2 via dashboard_v2.from_v2)."""
    from azora_dash.dashboard_v2 import to_v2

    board = dashboard(panel('sum(rate(x_total{job=~"$job", instance=~"$instance"}[5m])', unit="reqps"))
    v1 = {"apiVersion": "dashboard.grafana.app/v1beta1", "kind": "Dashboard", "metadata": {"name": "case"}}
    paths = [
        _write(tmp_path, "classic.json", board),
        _write(tmp_path, "v1.json", dict(v1, spec=board)),
        _write(tmp_path, "v2.json", to_v2(board)),
    ]
    doc = json.loads(invoke(["--format", "json", "--rule", "promql/syntax", *map(str, paths)], exit_code=1).output)
    assert doc["dashboards"] == 3
    assert sorted(p["source"].rsplit("/", 1)[-1] for p in doc["problems"]) == ["classic.json", "v1.json", "v2.json"]
    assert {p["message"] for p in doc["problems"]} == {"invalid PromQL: unclosed left parenthesis"}
