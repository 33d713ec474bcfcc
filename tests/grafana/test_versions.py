"""push against the stand-in playing each Grafana release: 10.4 and 11.2 over /api, 12.2 and 13.0 over /apis."""

from __future__ import annotations

import pytest

from azora_dash.grafana import client as grafana_api
from azora_dash.grafana.client import Auth, GrafanaClient
from azora_dash.grafana.pull import normalise
from azora_dash.grafana.push import apply_plan, plan_push, validate_plan

from ..fakes.grafana_stub import running

TAG = "managed-by-azora-dash"
FOLDER, FOLDER_UID = "Azora", "azora"
VERSIONS = ("10.4", "11.2", "12.2", "13.0")
API = {
    "10.4": "/api",
    "11.2": "/api",
    "12.2": "/apis/dashboard.grafana.app/v0alpha1",
    "13.0": "/apis/dashboard.grafana.app/v0alpha1",
}


@pytest.fixture(params=VERSIONS)
def grafana(request, monkeypatch):
    monkeypatch.setattr(grafana_api, "_sleep", lambda s: None)
    with running(token="tok", viewer_token="viewer", version=request.param) as stub:
        yield stub


def dash(uid: str, title: str | None = None, tags=(TAG,), threshold: float = 1.0) -> dict:
    # A whole-number float, as the built dashboards have: Grafana 12+ returns it as 1.
    steps = [{"color": "green", "value": None}, {"color": "red", "value": threshold}]
    panel = {"id": 1, "type": "stat", "fieldConfig": {"defaults": {"thresholds": {"mode": "absolute", "steps": steps}}}}
    return {"uid": uid, "title": title or uid.title(), "tags": list(tags), "panels": [panel], "schemaVersion": 41}


LOCAL = {d["uid"]: d for d in (dash("a"), dash("b"), dash("c"))}


def api(stub, token="tok", org_id=None) -> GrafanaClient:
    return GrafanaClient(stub.url, Auth(token=token), timeout=2, backoff=0.001, org_id=org_id)


def push(stub, local=LOCAL, force=False, prune=False, token="tok"):
    client = api(stub, token)
    plan = plan_push(client, local, FOLDER, FOLDER_UID, TAG, prune=prune)
    return plan, apply_plan(client, plan, commit="abc123", force=force)


def actions(plan) -> dict[str, str]:
    return {i.uid: i.action for i in plan.items}


def test_create_then_zero_write_repush(grafana):
    plan, outcome = push(grafana)
    assert plan.api == API[grafana.behaviour.version] and plan.grafana_version.startswith(grafana.behaviour.version)
    assert outcome.error is None and outcome.count("done") == 3
    writes = len(grafana.writes)
    again, _ = push(grafana)
    assert set(actions(again).values()) == {"unchanged"} and len(grafana.writes) == writes


def test_code_change_updates_without_a_conflict(grafana):
    push(grafana)
    plan, outcome = push(grafana, dict(LOCAL, b=dash("b", "B v2", threshold=2.0)))
    assert actions(plan) == {"a": "unchanged", "b": "update", "c": "unchanged"}
    assert outcome.error is None and not outcome.refused
    assert grafana.dashboards["b"]["data"]["title"] == "B v2"
    # and again: the mark written by the previous push still proves the content on every release
    plan, outcome = push(grafana, dict(LOCAL, b=dash("b", "B v3", threshold=3.0)))
    assert actions(plan)["b"] == "update" and not outcome.refused


def test_human_edit_is_refused_then_forced(grafana):
    push(grafana)
    grafana.human_save("b", lambda d: d.update(title="Edited by hand"))
    plan, outcome = push(grafana, dict(LOCAL, a=dash("a", "A v2")))
    assert actions(plan) == {"a": "update", "b": "conflict", "c": "unchanged"}
    assert "alice" in plan.items[1].reason and outcome.refused
    assert grafana.dashboards["b"]["data"]["title"] == "Edited by hand"
    plan, outcome = push(grafana, force=True)
    assert outcome.error is None and normalise(grafana.dashboards["b"]["data"])["title"] == "B"
    assert set(actions(push(grafana)[0]).values()) == {"unchanged"}


def test_concurrent_edit_mid_push_is_reported_not_clobbered(grafana):
    push(grafana)
    client = api(grafana)
    plan = plan_push(client, dict(LOCAL, a=dash("a", "A v2")), FOLDER, FOLDER_UID, TAG)
    grafana.human_save("a", lambda d: d.update(title="racing human"))
    outcome = apply_plan(client, plan, commit="abc")
    assert [i.outcome for i in plan.items if i.uid == "a"] == ["conflict"] and outcome.error is None
    assert grafana.dashboards["a"]["data"]["title"] == "racing human"  # not clobbered
    # /api: 412 version-mismatch; the resource API: 409 Conflict on the stale resourceVersion
    assert grafana.writes[-1][2] == (409 if grafana.behaviour.resource_versions else 412)


def test_prune_deletes_managed_only(grafana):
    push(grafana)
    grafana.save({"dashboard": dash("mine", tags=["team"]), "folderUid": FOLDER_UID}, "bob")
    old = dash("old")
    push(grafana, dict(LOCAL, old=old))
    plan, outcome = push(grafana, prune=True)
    assert {i.uid for i in plan.of("delete")} == {"old"} and outcome.error is None
    assert set(grafana.dashboards) == {"a", "b", "c", "mine"}


def test_provisioned_dashboard_is_reported_and_not_written(grafana):
    grafana.provision(dash("a", "A from files"), FOLDER_UID)
    plan, outcome = push(grafana)
    item = next(i for i in plan.items if i.uid == "a")
    assert item.action == "provisioned" and "provisioned from files on this Grafana" in item.reason
    assert outcome.error is None and item.outcome == "provisioned"
    assert grafana.dashboards["a"]["data"]["title"] == "A from files"
    assert len(grafana.writes) == 2  # b and c; the folder came with the provisioned one


def test_folder_created_meanwhile_is_read_not_fatal(grafana):
    client = api(grafana)
    plan = plan_push(client, LOCAL, FOLDER, FOLDER_UID, TAG)
    grafana.add_folder(FOLDER_UID, FOLDER)  # a racing push created it: 409 on 11, 412 on 10/12/13
    outcome = apply_plan(client, plan, commit="abc")
    assert outcome.error is None and outcome.count("done") == 3
    assert grafana.behaviour.folder_exists_status in [w[2] for w in grafana.writes if w[1] == "/api/folders"]


def test_v2_dashboard_beside_ours_is_a_conflict_by_uid_and_the_rest_is_planned(grafana):
    if not grafana.behaviour.resource_versions:
        pytest.skip("schema v2 dashboards exist from Grafana 12 on")
    push(grafana)
    grafana.store_v2("b", "B rebuilt with dynamic dashboards", FOLDER_UID)
    plan, outcome = push(grafana, dict(LOCAL, a=dash("a", "A v2")))
    assert actions(plan) == {"a": "update", "b": "conflict", "c": "unchanged"}
    assert "not managed by azora-dash" in plan.items[1].reason and outcome.refused  # read from its v2 API


def test_read_only_token_can_plan(grafana):
    push(grafana)
    grafana.save({"dashboard": dict(LOCAL["c"], title="C by hand", version=1), "folderUid": FOLDER_UID}, "alice")
    writes = len(grafana.writes)
    client = api(grafana, token="viewer")
    plan = plan_push(client, dict(LOCAL, a=dash("a", "A v2")), FOLDER, FOLDER_UID, TAG)
    validate_plan(plan)
    item = {i.uid: i for i in plan.items}
    assert item["b"].action == "unchanged" and item["a"].action == "update"
    if plan.api == "/api":  # history needs dashboards:write there: say so, never abort
        assert "not checked for edits" in item["a"].reason and item["c"].action == "update"
    else:  # the resource API carries the message on the object: the edit is still found
        assert item["c"].action == "conflict" and "alice" in item["c"].reason
    assert not [w for w in grafana.writes[writes:] if w[2] in (200, 201)]  # dry runs were refused (403)


def test_org_id_is_sent_on_every_request(grafana):
    client = api(grafana, org_id=2)
    plan = plan_push(client, LOCAL, FOLDER, FOLDER_UID, TAG)
    apply_plan(client, plan, commit="abc")
    sent = grafana.org_headers
    assert len(sent) > 3 and set(sent) == {"2"}


def test_resource_api_plans_with_no_per_dashboard_get(grafana):
    push(grafana)
    before = len(grafana.log)
    push(grafana)
    paths = [e[1] for e in grafana.log[before:]]
    if grafana.behaviour.resource_versions:
        assert not [p for p in paths if "/dashboards/" in p.split("?")[0].rsplit("dashboards", 1)[-1]]
        assert len(paths) == 5  # health, /apis, /api/org, folder, one LIST
    else:
        assert len([p for p in paths if p.startswith("/api/dashboards/uid/")]) == 3
