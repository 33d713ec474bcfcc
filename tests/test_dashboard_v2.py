"""dashboard_v2: the v2 build is the v1 build in another form; reading it back loses nothing."""

from __future__ import annotations

import json

import pytest

from azora_dash.dashboard_file import load
from azora_dash.dashboard_v2 import API_VERSION, to_v2
from azora_dash.errors import InputError
from azora_dash.schema.model import validate_v2

from .conftest import ROOT, invoke

BUILT = sorted((ROOT / "provisioning/dashboards/azora").glob("*.json"))


@pytest.fixture(scope="module")
def v2_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("v2")
    invoke(["build", "--schema", "v2", "--out", str(out)])
    return out


@pytest.mark.parametrize("path", BUILT, ids=lambda p: p.stem)
def test_v2_of_a_build_validates_and_reads_back_identical(path):
    classic = json.loads(path.read_text())
    resource = json.loads(json.dumps(to_v2(classic, "azora")))
    assert resource["apiVersion"] == API_VERSION and resource["metadata"]["name"] == classic["uid"]
    assert resource["metadata"]["annotations"] == {"grafana.app/folder": "azora"}
    assert validate_v2(resource) == []
    assert load(resource, "x.json").dashboard == classic


def test_build_v2_writes_four_valid_resources_byte_identical_twice(v2_dir, tmp_path):
    files = sorted(v2_dir.glob("*.json"))
    assert [f.name for f in files] == [p.name for p in BUILT]
    invoke(["build", "--schema", "v2", "--out", str(tmp_path)])
    assert all(f.read_bytes() == (tmp_path / f.name).read_bytes() for f in files)
    assert "0 invalid" in invoke(["validate", str(v2_dir)]).stderr


def test_build_v2_needs_an_out_dir():
    assert "--out" in invoke(["build", "--schema", "v2"], exit_code=2).output


def test_v1_and_v2_builds_diff_empty_and_one_changed_query_is_one_panel(v2_dir, tmp_path):
    invoke(["diff", str(ROOT / "provisioning/dashboards/azora"), str(v2_dir)])
    doc = json.loads((v2_dir / "azora-alerts.json").read_text())
    name, element = next((n, e) for n, e in doc["spec"]["elements"].items() if e["spec"]["data"]["spec"]["queries"])
    element["spec"]["data"]["spec"]["queries"][0]["spec"]["query"]["spec"]["expr"] = "vector(1)"
    changed = tmp_path / "azora-alerts.json"
    changed.write_text(json.dumps(doc))
    old = ROOT / "provisioning/dashboards/azora/azora-alerts.json"
    out = json.loads(invoke(["diff", str(old), str(changed), "--format", "json"], exit_code=1).stdout)
    changes = out["changes"] if isinstance(out, dict) else out
    assert [(c["panel_id"], c["fields"][0]["new"]) for c in changes] == [(element["spec"]["id"], "vector(1)")]


def _findings(path):
    problems = json.loads(invoke(["lint", str(path), "--format", "json"], exit_code=None).stdout)
    items = problems["problems"] if isinstance(problems, dict) else problems
    return sorted((p["rule"], p.get("dashboard_uid"), str(p.get("panel")), p["message"]) for p in items)


def test_lint_finds_the_same_on_the_v1_and_v2_builds(v2_dir):
    assert _findings(ROOT / "provisioning/dashboards/azora") == _findings(v2_dir)


def test_a_layout_naming_a_missing_element_is_one_line_naming_it(v2_dir, tmp_path):
    doc = json.loads((v2_dir / "azora-alerts.json").read_text())
    doc["spec"]["elements"].pop(next(iter(doc["spec"]["elements"])))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    with pytest.raises(InputError, match=r"bad.json: layout references element 'panel-\d+'"):
        load(bad)
    assert "not in elements" in invoke(["validate", str(bad)], exit_code=2).output


def test_unknown_resource_versions_and_kinds_are_refused():
    with pytest.raises(InputError, match="v3alpha0 dashboards are not readable"):
        load({"apiVersion": "dashboard.grafana.app/v3alpha0", "kind": "Dashboard", "spec": {}}, "f.json")
    with pytest.raises(InputError, match="kind Folder"):
        load({"apiVersion": "dashboard.grafana.app/v2", "kind": "Folder", "spec": {}}, "f.json")


def test_validate_reports_a_v2_spec_that_breaks_the_v2_schema(v2_dir, tmp_path):
    doc = json.loads((v2_dir / "azora-alerts.json").read_text())
    doc["spec"]["cursorSync"] = "Sometimes"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    out = invoke(["validate", str(bad)], exit_code=1).stdout
    assert "/spec/cursorSync: 'Sometimes' is not one of" in out
