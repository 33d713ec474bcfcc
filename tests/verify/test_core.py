"""Collecting targets from dashboards and rule files, and the query window (no Prometheus needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from azora_dash.dashboard_file import load, load_paths
from azora_dash.errors import ConfigError, InputError
from azora_dash.verify.core import (
    Result,
    Target,
    Window,
    collect,
    dashboard_targets,
    make_window,
    parse_duration,
    render_json,
    render_text,
    rule_targets,
    summary_line,
)

from ..conftest import ROOT

BUILT = ROOT / "provisioning" / "dashboards" / "azora"


@pytest.mark.parametrize("text, seconds", [("15s", 15), ("5m", 300), ("1h30m", 5400), ("2d", 172800), ("500ms", 1)])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "15", "5 m", "1h foo", "m5"])
def test_parse_duration_rejects_garbage(text):
    with pytest.raises(ConfigError, match="not a duration"):
        parse_duration(text)


def test_window_derives_grafana_intervals():
    w = Window(end=10_000.0, range_s=3600, scrape_s=15)
    values = w.values()
    assert w.step == 15  # 3600 s / 250 points rounds up to 15 s, not below the scrape interval
    assert values["__rate_interval"] == "60s"  # max(15 + 15, 4 * 15), as Grafana documents
    assert values["__range"] == "3600s" and values["__range_ms"] == "3600000"
    # The last evaluation of a range query lands exactly on `end`.
    assert (w.end - w.start) % w.step == 0 and w.end - w.start >= w.range_s


def test_window_with_long_range_uses_coarser_step():
    w = make_window("7d", "15s", end=0.0)
    assert w.step == -(-7 * 86400 // 250)
    assert w.values()["__rate_interval"] == f"{w.step + 15}s"


def _targets_in(path: Path) -> int:
    def walk(panels):
        for p in panels or []:
            yield p
            yield from walk(p.get("panels"))

    def prometheus(t):  # Loki targets are not sent to Prometheus
        return (t.get("datasource") or {}).get("type", "prometheus") == "prometheus"

    return sum(
        len([t for t in p.get("targets") or [] if prometheus(t)]) for p in walk(json.loads(path.read_text())["panels"])
    )


def test_every_built_panel_target_is_collected():
    files = sorted(BUILT.glob("*.json"))
    targets = [t for t in collect(load_paths([BUILT]), []) if t.kind == "panel"]
    assert len(files) == 6
    assert len(targets) == sum(_targets_in(f) for f in files)
    for t in targets:
        panel_type = next(
            p for p in json.loads(Path(t.source).read_text())["panels"] if t.name.endswith(f"(id {p['id']})")
        )["type"]
        assert t.range == (panel_type == "timeseries")
        assert t.kind == "panel" and t.expr


def test_label_values_variables_become_selector_targets():
    variables = [t for t in dashboard_targets(load(BUILT / "azora-system-overview.json")) if t.kind == "variable"]
    assert [(t.name, t.ref, t.expr) for t in variables] == [
        ("$job", "job", 'up{job=~"node-exporter|cadvisor|postgres|redis"}'),
        ("$instance", "instance", 'up{job=~"$job"}'),
    ]
    gateway = {t.name: t for t in dashboard_targets(load(BUILT / "azora-api-gateway.json")) if t.kind == "variable"}
    assert gateway["$instance"].expr == 'up{job=~"$job"}' and gateway["$instance"].ref == "instance"


def test_variables_expand_to_the_all_value():
    path = BUILT / "azora-api-gateway.json"
    targets = dashboard_targets(load(path))
    assert {t.variables["job"] for t in targets} == {".+"}
    assert "datasource" not in targets[0].variables  # the datasource variable never appears in PromQL


def test_hidden_targets_and_nested_row_panels(tmp_path):
    dash = {
        "uid": "d",
        "panels": [
            {
                "type": "row",
                "id": 1,
                "title": "r",
                "collapsed": True,
                "panels": [
                    {
                        "type": "stat",
                        "id": 2,
                        "title": "s",
                        "targets": [{"refId": "A", "expr": "up"}, {"refId": "B", "expr": "up", "hide": True}],
                    }
                ],
            }
        ],
    }
    path = tmp_path / "d.json"
    path.write_text(json.dumps(dash))
    assert [(t.name, t.ref, t.range) for t in dashboard_targets(load(path))] == [("s (id 2)", "A", False)]


def test_rule_targets(tmp_path):
    rules = tmp_path / "r.yml"
    rules.write_text(
        "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n  - record: r:up\n    expr: sum(up)\n"
    )
    assert [(t.kind, t.container, t.name, t.expr) for t in rule_targets(rules)] == [
        ("alert", "g", "A", "up == 0"),
        ("record", "g", "r:up", "sum(up)"),
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        (None, "no such rule file"),
        ("groups: [", "invalid YAML"),
        ("- alert: A\n", "not a Prometheus rule file"),
        ("groups: {a: 1}\n", "want a top-level"),
    ],
)
def test_bad_rule_files(tmp_path, text, message):
    path = tmp_path / "r.yml"
    if text is not None:
        path.write_text(text)
    with pytest.raises(InputError, match=message):
        rule_targets(path)


def test_missing_dashboard_path_and_non_dashboard(tmp_path):
    with pytest.raises(InputError, match="no such file or directory"):
        collect(load_paths([tmp_path / "nope.json"]), [])
    (tmp_path / "x.json").write_text("[]")
    with pytest.raises(InputError, match="not a Grafana dashboard"):
        collect(load_paths([tmp_path / "x.json"]), [])


def test_renderers():
    t = Target("panel", "f.json", "uid", "Title (id 3)", "B", "up")
    results = [Result(t, "ok", 2, "up"), Result(t, "empty", 0, "up", "metric up has no series")]
    assert render_text(results) == [
        "ok     uid / Title (id 3) [B]: 2 series",
        "empty  uid / Title (id 3) [B]: metric up has no series",
    ]
    assert summary_line(results) == "2 targets: 1 ok, 1 empty, 0 error"
    doc = json.loads(render_json(results, "http://p:9090", Window(100.0, 60, 1)))
    assert doc["summary"] == {"targets": 2, "ok": 1, "empty": 1, "error": 0}
    assert doc["results"][1]["detail"] == "metric up has no series" and "variables" not in doc["results"][0]


def test_build_and_help_do_not_load_verify_or_demo_dependencies():
    import subprocess
    import sys

    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom azora_dash.cli import cli\n"
        "for args in (['build', '--check'], ['verify', '--help'], ['demo', '--help']):\n"
        "    assert CliRunner().invoke(cli, args).exit_code == 0, args\n"
        "print(sorted(m for m in ('requests', 'promql_parser', 'prometheus_client') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
