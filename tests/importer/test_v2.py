"""importer.v2: a v2 export imports into a module whose ``build --schema v2`` writes it again."""

from __future__ import annotations

import copy
import json

import pytest

from azora_dash.config import DEFAULT
from azora_dash.importer import import_dashboard

from ..conftest import invoke
from ..test_dashboard_v2 import TABBED, _build


@pytest.fixture(scope="module")
def v2_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("v2")
    invoke(["build", "--schema", "v2", "--out", out])
    return out


def _reimport(tmp_path, resource: dict, name: str) -> tuple[str, dict]:
    """Import ``resource`` from a file with the CLI, build the module as v2; (module source, rebuilt resource)."""
    src, modules, out = tmp_path / f"{name}.json", tmp_path / "modules", tmp_path / "out"
    src.write_text(json.dumps(resource))
    invoke(["import", src, "--out", modules / f"{name}.py"])
    invoke(["build", "--dashboards", modules, "--out", out, "--schema", "v2"])
    (built,) = out.glob("*.json")
    return (modules / f"{name}.py").read_text(), json.loads(built.read_text())


@pytest.mark.parametrize("name", ["azora-alerts", "azora-logs-traces", "azora-system-overview"])
def test_our_v2_builds_import_and_build_back_byte_for_byte(v2_dir, tmp_path, name):
    text = (v2_dir / f"{name}.json").read_text()
    source, rebuilt = _reimport(tmp_path, json.loads(text), name)
    assert json.dumps(rebuilt, indent=2, sort_keys=True) + "\n" == text
    if name == "azora-logs-traces":
        assert "P.tabs(" in source or "tab=True" in source


def _tabbed(tmp_path) -> dict:
    return json.loads((_build(tmp_path, TABBED, "v2") / "azora-tabbed.json").read_text())


def test_tabs_and_conditions_come_back_as_builder_calls(tmp_path):
    resource = _tabbed(tmp_path)
    source, rebuilt = _reimport(tmp_path, resource, "tabbed")
    assert rebuilt == resource
    source = source.replace("'", '"')
    assert "P.tabs(" in source and 'P.when("job", "postgres")' in source
    assert 'P.when("instance", "db.*", op="matches")' in source


def grafana_13_export(resource: dict) -> dict:
    """``resource`` as Grafana 13 serves it: server metadata, a hide-on-`or` group, a field we do not read."""
    out = copy.deepcopy(resource)
    out["metadata"].update(
        resourceVersion="1712", generation=3, uid="6f1c", creationTimestamp="2026-04-01T10:00:00Z", labels={}
    )
    tab = out["spec"]["layout"]["spec"]["tabs"][1]["spec"]
    tab["conditionalRendering"]["spec"].update(visibility="hide", condition="or")
    out["spec"]["revision"] = 4
    return out


def test_a_grafana_export_imports_with_what_is_regenerated_listed(tmp_path):
    export = grafana_13_export(_tabbed(tmp_path))
    source, rebuilt = _reimport(tmp_path, export, "exported")
    assert rebuilt["spec"]["layout"] == export["spec"]["layout"]  # a hide/or group is carried whole
    assert {k: v for k, v in rebuilt["spec"].items()} == {k: v for k, v in export["spec"].items() if k != "revision"}
    assert rebuilt["metadata"] == {"name": export["metadata"]["name"], "annotations": export["metadata"]["annotations"]}
    header = " ".join(line.lstrip("# ") for line in source.splitlines() if line.startswith("#"))
    assert "regenerated: metadata (all but name and the grafana.app/folder annotation)" in header
    assert "Not carried from the v2 spec: revision" in header


def test_import_of_a_v2_export_whose_layout_names_a_missing_element_is_one_line(tmp_path):
    export = _tabbed(tmp_path)
    export["spec"]["elements"].pop(next(iter(export["spec"]["elements"])))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(export))
    out = tmp_path / "mod.py"
    result = invoke(["import", bad, "--out", out], exit_code=2)
    assert result.output.count("\n") == 1 and "bad.json: layout references element 'panel-" in result.output
    assert not out.exists()


def test_a_classic_import_is_unchanged_by_the_v2_path(v2_dir):
    resource = json.loads((v2_dir / "azora-alerts.json").read_text())
    from azora_dash.dashboard_file import load

    classic = load(resource, "x.json").dashboard
    assert import_dashboard(classic, DEFAULT, "alerts.json").count("A v2 resource") == 0
    assert import_dashboard(resource, DEFAULT, "alerts.json").count("A v2 resource") == 1
