"""CLI behaviour, including the failure modes that must exit 2 with one line and write nothing."""

from __future__ import annotations

import pytest

from azora_dash.cli import COMMANDS, cli

from .build.test_project import snapshot
from .conftest import invoke

BAD_MODULES = {
    "syntax": ("def build(cfg):\n    return (\n", "syntax error"),
    "raises": (
        "def build(cfg):\n    raise ValueError('no such metric')\n",
        "build() raised ValueError: no such metric",
    ),
    "no_build": ("TITLE = 'x'\n", "defines no build(cfg) function"),
    "import_error": ("import does_not_exist\n\ndef build(cfg):\n    pass\n", "import failed: ModuleNotFoundError"),
    "wrong_type": ("def build(cfg):\n    return {'uid': 'x'}\n", "not a grafanalib Dashboard"),
    # json.dumps would write NaN, which Grafana's JSON parser refuses; orjson would write null.
    "not_json": (
        "from azora_dash import panels as P\n\ndef build(cfg):\n"
        "    return P.dashboard(cfg, 'nan', 'NaN', 'x', 'x', variables=[], sections=[('R', [P.stat('S', 'd', 'up', 'short', "
        "steps=P.thresholds((None, P.GREEN), (float('nan'), P.RED)))])])\n",
        "cannot serialise dashboard: ValueError: nan is not a JSON number",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_MODULES))
def test_bad_module_exits_2_with_one_line_and_writes_nothing(project, case):
    source, expected = BAD_MODULES[case]
    bad = project / "dashboards" / f"zz_{case}.py"
    bad.write_text(source)
    out = project / "provisioning"
    before = snapshot(out)
    result = invoke(["build", "--dashboards", project / "dashboards", "--out", out], exit_code=2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(bad) in lines[0] and expected in lines[0]
    assert snapshot(out) == before


def test_duplicate_uid_is_refused(project):
    dup = project / "dashboards" / "zz_copy.py"
    dup.write_text((project / "dashboards" / "alerts.py").read_text())
    before = snapshot(project / "provisioning")
    result = invoke(["build", "--dashboards", project / "dashboards", "--out", project / "provisioning"], exit_code=2)
    assert "duplicate dashboard uid 'azora-alerts'" in result.stderr
    assert snapshot(project / "provisioning") == before


def test_build_into_empty_dir_then_check_is_clean(tmp_path):
    from .conftest import ROOT

    out = tmp_path / "out"
    invoke(["build", "--dashboards", ROOT / "dashboards", "--out", out])
    invoke(["build", "--dashboards", ROOT / "dashboards", "--out", out, "--check"])


def test_check_names_stale_files_and_exits_1(project):
    target = project / "provisioning/dashboards/azora/azora-alerts.json"
    target.write_text(target.read_text().replace("Azora / Alerts", "Hand edited"))
    result = invoke(
        ["build", "--dashboards", project / "dashboards", "--out", project / "provisioning", "--check"], exit_code=1
    )
    assert "stale: " in result.stdout and "azora-alerts.json" in result.stdout
    assert "Hand edited" in target.read_text()  # --check writes nothing


def test_missing_dashboards_dir_exits_2(tmp_path):
    result = invoke(["build", "--dashboards", tmp_path / "nope", "--out", tmp_path / "out"], exit_code=2)
    assert "no such directory" in result.stderr


def test_validate_reports_schema_errors_and_exits_1(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"uid": "x", "schemaVersion": 41, "templating": {"list": []}, "annotations": {"list": []},'
        ' "panels": [{"type": "timeseries", "id": 1, "span": 12}], "rows": []}'
    )
    result = invoke(["validate", bad], exit_code=1)
    assert "Additional properties are not allowed ('rows' was unexpected)" in result.stdout
    assert "/panels/0: Additional properties are not allowed ('span' was unexpected)" in result.stdout


def test_validate_invalid_json_exits_2(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = invoke(["validate", bad], exit_code=2)
    assert f"{bad}:1:2: invalid JSON" in result.stderr


def test_validate_json_format(tmp_path):
    import json

    from .conftest import ROOT

    result = invoke(["validate", "--format", "json", ROOT / "provisioning/dashboards/azora"])
    report = json.loads(result.stdout)
    assert len(report) == 6 and all(v == {"errors": [], "warnings": []} for v in report.values())


def test_validate_json_lists_warnings_beside_errors(tmp_path):
    import json

    no_uid = tmp_path / "no-uid.json"
    no_uid.write_text(json.dumps({"title": "t", "schemaVersion": 41, "panels": []}))
    result = invoke(["validate", "--format", "json", no_uid])
    (entry,) = json.loads(result.stdout).values()
    assert entry["errors"] == [] and any("uid" in w for w in entry["warnings"])


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(name):
    result = invoke([name, "--help"])
    assert "Example" in result.stdout, f"{name} --help has no example"


def test_top_level_help_lists_every_command():
    result = invoke(["--help"])
    for name in COMMANDS:
        assert name in result.stdout
    assert cli.name is not None
