"""Path traversal: every entry point that turns a uid into a file name refuses a non-Grafana uid."""

from __future__ import annotations

import json
import shutil

import pytest

from azora_dash.errors import InputError
from azora_dash.jsonio import write_tree
from azora_dash.uids import check_uid, is_valid_uid

from .conftest import ROOT, invoke
from .fakes.grafana_stub import running

BAD_UIDS = {
    "parent": "../../evil",
    "absolute": "/tmp/azora-evil",
    "nul": "a\0b",
    "long": "a" * 200,
}


def test_grafana_uid_rule():
    assert is_valid_uid("azora-api_gateway-1") and is_valid_uid("a" * 40)
    for bad in [*BAD_UIDS.values(), "", "a" * 41, "a.b", "a b", None, 7]:
        assert not is_valid_uid(bad)
    with pytest.raises(InputError, match=r"^here: dashboard uid '\.\./\.\./evil' is not a Grafana uid"):
        check_uid("../../evil", "here")


def test_write_tree_refuses_paths_outside_its_root(tmp_path):
    for rel in ("../x.json", "/tmp/x.json", "a/../../x.json", "a\0b"):
        with pytest.raises(InputError, match="not a plain path inside it"):
            write_tree(tmp_path / "out", {rel: "{}"})
    assert not (tmp_path / "x.json").exists()


def _one_error_line(result, uid: str) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "is not a Grafana uid" in lines[0], result.stderr
    assert "Traceback" not in result.output
    return lines[0]


@pytest.mark.parametrize("case", sorted(BAD_UIDS))
def test_build_refuses_bad_uid(tmp_path, case):
    dashboards = tmp_path / "dashboards"
    dashboards.mkdir()
    shutil.copy(ROOT / "dashboards" / "alerts.py", dashboards / "alerts.py")
    module = dashboards / "evil.py"
    module.write_text(
        "import grafanalib.core as G\n\n"
        f"def build(cfg):\n    return G.Dashboard(title='Evil', uid={BAD_UIDS[case]!r}, panels=[])\n"
    )
    out = tmp_path / "prov" / "a" / "b"
    result = invoke(["build", "--dashboards", dashboards, "--out", out], exit_code=2)
    assert str(module) in _one_error_line(result, BAD_UIDS[case])
    assert not (tmp_path / "evil.json").exists() and not list(tmp_path.rglob("*.json"))


@pytest.mark.parametrize("case", sorted(BAD_UIDS))
def test_import_refuses_bad_uid(tmp_path, case):
    source = json.loads((ROOT / "tests/fixtures/import/cadvisor.json").read_text())
    source["uid"] = BAD_UIDS[case]
    path = tmp_path / "in.json"
    path.write_text(json.dumps(source))
    result = invoke(["import", path, "--out", tmp_path / "mods"], exit_code=2)
    assert str(path) in _one_error_line(result, BAD_UIDS[case])
    assert not list(tmp_path.rglob("*.py"))


@pytest.mark.parametrize("case", sorted(BAD_UIDS))
def test_preview_refuses_bad_uid(tmp_path, case):
    dash = json.loads((ROOT / "provisioning/dashboards/azora/azora-alerts.json").read_text())
    dash["uid"] = BAD_UIDS[case]
    path = tmp_path / "d.json"
    path.write_text(json.dumps(dash))
    result = invoke(["preview", path, "--out", tmp_path / "p" / "q"], exit_code=2)
    assert dash["title"] in _one_error_line(result, BAD_UIDS[case])
    assert not list(tmp_path.rglob("*.svg"))


@pytest.mark.parametrize("case", sorted(BAD_UIDS))
def test_pull_refuses_bad_uid_from_a_hostile_grafana(tmp_path, case):
    with running(token="tok") as stub:
        stub.add_folder("azora", "Azora")
        stub.save({"dashboard": {"uid": "fine", "title": "Fine"}, "folderUid": "azora"}, "u")
        stub.save({"dashboard": {"uid": BAD_UIDS[case], "title": "Evil"}, "folderUid": "azora"}, "u")
        out = tmp_path / "live" / "x"
        result = invoke(["pull", "--url", stub.url, "--token", "tok", "--folder", "azora", "--out", out], exit_code=2)
    assert stub.url in _one_error_line(result, BAD_UIDS[case])
    assert not list(tmp_path.rglob("*.json"))


def test_derived_uid_is_cut_with_a_hash_only_when_too_long():
    from azora_dash.uids import derived_uid

    assert derived_uid("azora-short") == "azora-short"
    long = "azora-" + "x" * 50
    assert derived_uid(long) == derived_uid(long) and len(derived_uid(long)) == 40 and is_valid_uid(derived_uid(long))
    assert derived_uid(long + "y") != derived_uid(long)
