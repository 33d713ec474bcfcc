"""``preview --base REF`` against a real git repository: it must draw exactly what ``diff --base`` reports."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from azora_dash.jsonio import dumps

from ..conftest import ROOT, invoke
from .helpers import groups, parse

GATEWAY = "azora-api-gateway"


def _git(repo, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    """A git repo whose HEAD holds this project's code and dashboards, with its build next to it."""
    for name in ("azora_dash", "dashboards"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "base")
    shutil.copytree(ROOT / "provisioning", tmp_path / "provisioning")
    return tmp_path


def _edit(built):
    """One change of each kind on the gateway dashboard's JSON."""
    path = built / f"{GATEWAY}.json"
    board = json.loads(path.read_text())
    panels = board["panels"]
    panels[1]["title"] = "Request rate (all services)"  # modified
    gone = panels.pop(2)  # removed
    panels[2]["gridPos"] = dict(gone["gridPos"])  # moved into the hole
    panels.append(dict(panels[1], id=99, title="Brand new", gridPos={"x": 0, "y": 60, "w": 24, "h": 6}))  # added
    path.write_text(dumps(board))


def _drawn(svg: str) -> set[tuple[int, str]]:
    root = parse(svg)
    marks = set()
    for g in groups(root, "panel"):
        for cls in g.get("class").split():
            if cls.startswith("change-"):
                marks.add((int(g.get("data-panel-id")), cls.removeprefix("change-")))
    return marks


def test_preview_base_draws_exactly_the_diffs_changes(repo):
    built = repo / "provisioning" / "dashboards" / "azora"
    _edit(built)
    reported = json.loads(invoke(["diff", "--base", "HEAD", built, "--format", "json"], exit_code=1, cwd=repo).stdout)
    expected = {(c["panel_id"], c["kind"]) for c in reported["changes"] if c["scope"] == "panel"}
    assert {kind for _, kind in expected} == {"added", "removed", "moved", "modified"}

    invoke(["preview", "--base", "HEAD", "--out", repo / "out", built], cwd=repo)
    assert _drawn((repo / "out" / f"{GATEWAY}.svg").read_text()) == expected
    assert len(groups(parse((repo / "out" / f"{GATEWAY}.svg").read_text()), "move-arrow")) == 1
    assert "change-" not in (repo / "out" / "azora-alerts.svg").read_text().replace(".change-", "")


def test_without_paths_both_compare_the_ref_with_what_the_code_builds(repo):
    source = repo / "dashboards" / "api_gateway.py"
    said = '"All requests per second across the selected services."'
    source.write_text(source.read_text().replace(said, '"Requests per second, all selected services."', 1))
    reported = json.loads(invoke(["diff", "--base", "HEAD", "--format", "json"], exit_code=1, cwd=repo).stdout)
    expected = {(c["panel_id"], c["kind"]) for c in reported["changes"] if c["scope"] == "panel"}
    assert [kind for _, kind in expected] == ["modified"]
    invoke(["preview", "--base", "HEAD", "--out", repo / "out"], cwd=repo)
    assert _drawn((repo / "out" / f"{GATEWAY}.svg").read_text()) == expected
