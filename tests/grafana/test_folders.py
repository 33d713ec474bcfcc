"""Nested folders: pull --recursive walks /api/folders?parentUid=, push creates its folder inside a parent."""

from __future__ import annotations

import pytest

from azora_dash.errors import InputError
from azora_dash.grafana import client as grafana_api
from azora_dash.grafana.client import Auth, GrafanaAPIError, GrafanaClient
from azora_dash.grafana.pull import pull, subfolders
from azora_dash.grafana.push import apply_plan, plan_push

from ..fakes.grafana_stub import running

TAG = "managed-by-azora-dash"


@pytest.fixture(params=("10.4", "11.2", "13.0"))
def grafana(request, monkeypatch):
    monkeypatch.setattr(grafana_api, "_sleep", lambda s: None)
    with running(token="tok", version=request.param) as stub:
        stub.add_folder("team", "Team")
        stub.add_folder("apps", "Apps", "team")
        stub.add_folder("deep", "Deep", "apps")
        stub.add_folder("other", "Other")
        for uid, folder in (("top", "team"), ("mid", "apps"), ("low", "deep"), ("x", "other")):
            stub.save({"dashboard": {"uid": uid, "title": uid.upper(), "tags": []}, "folderUid": folder}, "u")
        yield stub


def api(stub) -> GrafanaClient:
    return GrafanaClient(stub.url, Auth(token="tok"), timeout=2, backoff=0.001)


def test_recursive_pull_reads_nested_folders_flat_and_never_outside(grafana, tmp_path):
    live, files = pull(api(grafana), tmp_path, folder_uid="team", recursive=True)
    if grafana.behaviour.nested_folders:
        assert subfolders(api(grafana), "team") == ["team", "apps", "deep"]
        assert sorted(live) == ["low", "mid", "top"] and files.written == ["low.json", "mid.json", "top.json"]
    else:  # 10.x without nested folders lists every folder for any parentUid: none is a child
        assert subfolders(api(grafana), "team") == ["team"] and sorted(live) == ["top"]
    assert not list(tmp_path.glob("*/**"))  # flat: no folder name chose a path
    flat, _ = pull(api(grafana), tmp_path / "flat", folder_uid="team")
    assert sorted(flat) == ["top"]


def test_a_hostile_folder_uid_is_refused(grafana):
    if not grafana.behaviour.nested_folders:
        pytest.skip("no nested folders")
    grafana.folders["apps"]["uid"] = "../escape"
    with pytest.raises(InputError, match="escape"):
        subfolders(api(grafana), "team")


def test_push_creates_its_folder_inside_the_parent(grafana):
    dash = {"uid": "n1", "title": "Nested", "tags": [TAG], "panels": []}
    client = api(grafana)
    plan = plan_push(client, {"n1": dash}, "Azora", "azora", TAG, parent_folder_uid="apps")
    outcome = apply_plan(client, plan, commit="abc")
    assert outcome.error is None and grafana.dashboards["n1"]["folder_uid"] == "azora"
    if grafana.behaviour.nested_folders:
        assert grafana.folders["azora"]["parentUid"] == "apps"
    else:  # 10.x without nested folders ignores parentUid: a top-level folder, as Grafana makes it
        assert "parentUid" not in grafana.folders["azora"]


def test_a_missing_parent_folder_is_one_line():
    with running(token="tok", version="11.2") as stub:
        client = api(stub)
        plan = plan_push(client, {}, "Azora", "azora", TAG, parent_folder_uid="nope")
        with pytest.raises(GrafanaAPIError, match="in parent folder 'nope': it does not exist"):
            apply_plan(client, plan, commit="abc")
