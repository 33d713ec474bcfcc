"""``azora-dash import``: writes a module that builds, refuses to clobber, one-line errors with exit 2."""

from __future__ import annotations

import json
import re

import pytest

from azora_dash.build.compile import compile_module
from azora_dash.config import DEFAULT
from azora_dash.grafana import client as grafana_api
from azora_dash.importer import normalised
from azora_dash.jsonio import dumps

from ..conftest import ROOT, invoke
from ..fakes.grafana_stub import running

FIXTURE = ROOT / "tests" / "fixtures" / "import" / "cadvisor.json"


def test_import_writes_a_module_that_builds(tmp_path):
    out = tmp_path / "dashboards" / "containers.py"
    result = invoke(["import", FIXTURE, "--out", out])
    assert f"wrote {out}" in result.stdout
    assert compile_module(out, DEFAULT).uid == "cadvisor-containers"


def test_default_out_is_dashboards_slug(tmp_path):
    invoke(["import", FIXTURE], cwd=tmp_path)
    assert (tmp_path / "dashboards" / "docker_containers_cadvisor.py").is_file()


def test_existing_out_is_kept_unless_force(tmp_path):
    out = tmp_path / "mine.py"
    out.write_text("# hand-written\n")
    result = invoke(["import", FIXTURE, "--out", out], exit_code=2)
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert out.read_text() == "# hand-written\n"
    invoke(["import", FIXTURE, "--out", out, "--force"])
    assert "def build(cfg):" in out.read_text()


def test_json_format_reports_what_was_carried(tmp_path):
    out = tmp_path / "c.py"
    result = invoke(["import", FIXTURE, "--out", out, "--format", "json"])
    report = json.loads(result.stdout)
    assert report["out"] == str(out) and report["carried"] == out.read_text().count("\n# - ") > 0


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "invalid JSON"),
        ("[1, 2, 3]", "not a Grafana dashboard"),
        ('{"apiVersion": 1, "providers": []}', "not a Grafana dashboard"),
    ],
)
def test_bad_input_is_one_line_exit_2(tmp_path, content, message):
    bad = tmp_path / "in.json"
    bad.write_text(content)
    result = invoke(["import", bad, "--out", tmp_path / "x.py"], exit_code=2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and message in lines[0]
    assert "Traceback" not in result.output and not (tmp_path / "x.py").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "exactly one of FILE or --grafana"),
        ([FIXTURE, "--grafana", "abc"], "exactly one of FILE or --grafana"),
    ],
)
def test_source_options_are_checked(args, message):
    result = invoke(["import", *args], exit_code=2)
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_schema_problems_of_a_faithful_import_are_announced(tmp_path):
    # cadvisor.json is what Grafana wrote (schemaVersion 27): it validates as Grafana reads it.
    assert "warning" not in invoke(["import", FIXTURE, "--out", tmp_path / "c.py"]).stderr
    broken = json.loads(FIXTURE.read_text())
    broken["panels"][0]["timeFrom"] = 5  # Grafana reads a string ("1h"): a real defect, carried faithfully
    (tmp_path / "broken.json").write_text(json.dumps(broken))
    result = invoke(["import", tmp_path / "broken.json", "--out", tmp_path / "b.py"])
    assert "warning: the dashboard breaks 1 rule(s)" in result.stderr and "/panels/0/timeFrom" in result.stderr
    assert "azora-dash validate" in result.stderr
    own = ROOT / "provisioning" / "dashboards" / "azora" / "azora-alerts.json"
    report = json.loads(invoke(["import", own, "--out", tmp_path / "a.py", "--format", "json"]).stdout)
    assert report["schema_problems"] == [] and report["carried"] == 0


TOKEN = "glsa_IMPORT_SECRET_0123456789"


@pytest.fixture
def grafana(monkeypatch):
    monkeypatch.setattr(grafana_api, "_sleep", lambda s: None)
    with running(token=TOKEN) as stub:
        yield stub


def _env(stub, token=TOKEN):
    return {"GRAFANA_URL": stub.url, "GRAFANA_TOKEN": token, "GRAFANA_USER": None, "GRAFANA_PASSWORD": None}


def test_import_from_grafana_rebuilds_what_grafana_holds(grafana, tmp_path):
    data = json.loads(FIXTURE.read_text())
    grafana.save({"dashboard": data, "folderUid": ""}, "alice")  # as if clicked together in the UI
    out = tmp_path / "c.py"
    result = invoke(["import", "--grafana", "cadvisor-containers", "--out", out], env=_env(grafana))
    assert f"wrote {out}" in result.stdout and TOKEN not in result.output
    built = compile_module(out, DEFAULT).dashboard
    held = grafana.dashboards["cadvisor-containers"]["data"]  # with the id and version Grafana added
    assert dumps(normalised(built, DEFAULT)) == dumps(normalised(held, DEFAULT))
    assert f"imported from {grafana.url}/d/cadvisor-containers" in out.read_text()


def test_import_from_grafana_unknown_uid_and_bad_token_exit_2(grafana, tmp_path):
    missing = invoke(["import", "--grafana", "nope", "--out", tmp_path / "x.py"], exit_code=2, env=_env(grafana))
    assert "no dashboard with uid 'nope'" in missing.stderr and len(missing.stderr.strip().splitlines()) == 1
    denied = invoke(
        ["import", "--grafana", "nope", "--out", tmp_path / "x.py"], exit_code=2, env=_env(grafana, "wrong")
    )
    assert "401" in denied.stderr and "wrong" not in denied.stderr and not (tmp_path / "x.py").exists()


EXPORT = {
    "__inputs": [{"name": "DS_PROM", "type": "datasource", "pluginId": "prometheus"}],
    "uid": "exp",
    "title": "export",
    "panels": [{"id": 1, "type": "text", "title": "t", "datasource": {"type": "prometheus", "uid": "${DS_PROM}"}}],
}


def test_export_placeholders_are_mapped_by_datasource_or_refused(tmp_path):
    src = tmp_path / "exp.json"
    src.write_text(json.dumps(EXPORT))
    out = tmp_path / "exp.py"
    refused = invoke(["import", src, "--out", out], exit_code=2)
    assert "${DS_PROM}" in refused.stderr and "--datasource DS_PROM=" in refused.stderr and not out.exists()
    assert len(refused.stderr.strip().splitlines()) == 1
    invoke(["import", src, "--out", out, "--datasource", "DS_PROM=prom-uid"])
    built = compile_module(out, DEFAULT).dashboard
    assert built["panels"][0]["datasource"] == {"type": "prometheus", "uid": "prom-uid"}
    bad = invoke(["import", src, "--out", tmp_path / "y.py", "--datasource", "DS_PROM"], exit_code=2)
    assert "expected NAME=UID" in bad.stderr


def test_the_panel_report_is_printed_and_in_json(tmp_path):
    text = invoke(["import", FIXTURE, "--out", tmp_path / "c.py"]).stdout.splitlines()
    assert re.fullmatch(r"\d+ panel\(s\): \d+ builder call\(s\), \d+ JSON \(.*legacy graph.*\)", text[1]), text
    report = json.loads(invoke(["import", FIXTURE, "--out", tmp_path / "d.py", "--format", "json"]).stdout)
    assert set(report["panels"]) == {"builder_calls", "json", "json_reasons"} and report["panels"]["json"] > 0


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    from azora_dash import importer

    monkeypatch.setattr(importer, "MAX_IMPORT_BYTES", 1000)
    result = invoke(["import", FIXTURE, "--out", tmp_path / "c.py"], exit_code=2)
    assert "over import's limit" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "c.py").exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (b'{"title": "t", "panels": [{"id": 1, "type": "text"', "truncated"),
        (b'{"title": "caf\xe9", "panels": []}', "UTF-8"),
        (b'{"title": "t", "panels": [null]}', "/panels/0 is null"),
        (b'{"title": "t", "panels": [{"id": 1, "fieldConfig": null}]}', "fieldConfig is null"),
        (b"null", "not a Grafana dashboard"),
    ],
)
def test_damaged_files_are_one_line_exit_2(tmp_path, content, message):
    bad = tmp_path / "in.json"
    bad.write_bytes(content)
    result = invoke(["import", bad, "--out", tmp_path / "x.py"], exit_code=2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and message in lines[0], lines
    assert not (tmp_path / "x.py").exists()
