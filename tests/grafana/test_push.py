"""plan_push/apply_plan against the stand-in Grafana: create, update, skip, conflicts, prune, faults."""

from __future__ import annotations

import pytest

from azora_dash.grafana import client as grafana_api
from azora_dash.grafana.client import Auth, GrafanaAPIError, GrafanaClient
from azora_dash.grafana.pull import normalise
from azora_dash.grafana.push import apply_plan, commit_message, plan_push

from ..fakes.grafana_stub import running

TAG = "managed-by-azora-dash"
FOLDER, FOLDER_UID = "Azora", "azora"


@pytest.fixture
def grafana(monkeypatch):
    monkeypatch.setattr(grafana_api, "_sleep", lambda s: None)
    with running(token="tok", viewer_token="viewer") as stub:
        yield stub


def dash(uid: str, title: str | None = None, tags=(TAG,), **extra) -> dict:
    return {"uid": uid, "title": title or uid.title(), "tags": list(tags), "panels": [], "schemaVersion": 41, **extra}


LOCAL = {d["uid"]: d for d in (dash("a"), dash("b"), dash("c"))}


def api(stub, token="tok") -> GrafanaClient:
    return GrafanaClient(stub.url, Auth(token=token), timeout=2, backoff=0.001)


def push(stub, local=LOCAL, force=False, prune=False, token="tok", concurrency=4):
    client = api(stub, token)
    plan = plan_push(client, local, FOLDER, FOLDER_UID, TAG, prune=prune, concurrency=concurrency)
    return plan, apply_plan(client, plan, commit="abc123", force=force, concurrency=concurrency)


def actions(plan) -> dict[str, str]:
    return {i.uid: i.action for i in plan.items}


def live(stub, uid) -> dict:
    return stub.dashboards[uid]["data"]


def test_first_push_creates_folder_and_dashboards(grafana):
    plan, outcome = push(grafana)
    assert plan.create_folder and actions(plan) == {"a": "create", "b": "create", "c": "create"}
    assert outcome.error is None and outcome.count("done") == 3
    assert grafana.folders[FOLDER_UID]["title"] == FOLDER
    assert normalise(live(grafana, "b")) == LOCAL["b"]
    assert grafana.dashboards["b"]["folder_uid"] == FOLDER_UID
    assert grafana.dashboards["b"]["versions"][-1]["message"] == commit_message(LOCAL["b"], "abc123")


def test_second_push_makes_zero_writes(grafana):
    push(grafana)
    before = len(grafana.writes)
    plan, outcome = push(grafana)
    assert set(actions(plan).values()) == {"unchanged"} and not plan.create_folder
    assert len(grafana.writes) == before
    assert outcome.count("done") == 3


def test_changed_code_updates_only_that_dashboard(grafana):
    push(grafana)
    before = len(grafana.writes)
    changed = dict(LOCAL, b=dash("b", "B renamed"))
    plan, outcome = push(grafana, changed)
    assert actions(plan) == {"a": "unchanged", "b": "update", "c": "unchanged"}
    assert len(grafana.writes) == before + 1
    assert live(grafana, "b")["title"] == "B renamed" and live(grafana, "b")["version"] == 2


def test_human_edit_is_a_conflict_and_nothing_is_written(grafana):
    push(grafana)
    grafana.human_save("b", lambda d: d.update(title="Edited by hand"))
    before = len(grafana.writes)
    changed = dict(LOCAL, a=dash("a", "A v2"))
    plan, outcome = push(grafana, changed)
    assert actions(plan) == {"a": "update", "b": "conflict", "c": "unchanged"}
    assert "saved by alice" in plan.items[1].reason
    assert outcome.refused and len(grafana.writes) == before  # not even the clean update
    assert live(grafana, "b")["title"] == "Edited by hand"


def test_force_overwrites_the_human_edit(grafana):
    push(grafana)
    grafana.human_save("b", lambda d: d.update(title="Edited by hand"))
    plan, outcome = push(grafana, force=True)
    assert not outcome.refused and outcome.error is None
    assert normalise(live(grafana, "b")) == LOCAL["b"] and live(grafana, "b")["version"] == 3
    assert set(actions(push(grafana)[0]).values()) == {"unchanged"}


def test_human_save_without_changes_is_unchanged_not_conflict(grafana):
    push(grafana)
    grafana.human_save("a", lambda d: None)
    plan, _ = push(grafana)
    assert actions(plan)["a"] == "unchanged"


def test_unmanaged_dashboard_with_same_uid_is_a_conflict(grafana):
    grafana.save({"dashboard": dash("a", tags=["theirs"]), "folderUid": ""}, "bob")
    plan, outcome = push(grafana)
    assert actions(plan)["a"] == "conflict" and "not managed by azora-dash" in plan.items[0].reason
    assert outcome.refused and live(grafana, "a")["tags"] == ["theirs"]


def test_dashboard_in_another_folder_is_moved_back(grafana):
    push(grafana)
    grafana.add_folder("other", "Other")
    row = grafana.dashboards["c"]
    row["folder_uid"] = "other"  # moved in the UI without a content change
    plan, outcome = push(grafana)
    assert actions(plan)["c"] == "update" and outcome.error is None
    assert grafana.dashboards["c"]["folder_uid"] == FOLDER_UID


def test_dry_run_plan_makes_no_write_call(grafana):
    push(grafana)
    grafana.human_save("c", lambda d: d.update(title="hand"))
    grafana.save({"dashboard": dash("gone"), "folderUid": FOLDER_UID}, "azora-ci")
    before = len(grafana.log)
    plan = plan_push(api(grafana), dict(LOCAL, d=dash("d")), FOLDER, FOLDER_UID, TAG, prune=True)
    assert actions(plan) == {"a": "unchanged", "b": "unchanged", "c": "conflict", "d": "create", "gone": "conflict"}
    assert all(method == "GET" for method, _, _ in grafana.log[before:])


def test_prune_deletes_only_managed_dashboards_in_the_folder(grafana):
    push(grafana)
    grafana.add_folder("other", "Other")
    for uid, folder, tags in (
        ("old", FOLDER_UID, [TAG]),
        ("mine", FOLDER_UID, ["team"]),
        ("elsewhere", "other", [TAG]),
    ):
        grafana.save(
            {
                "dashboard": dash(uid, tags=tags),
                "folderUid": folder,
                "message": commit_message(dash(uid, tags=tags), "x"),
            },
            "azora-ci",
        )
    plan, outcome = push(grafana, prune=True)
    assert {i.uid: i.action for i in plan.of("delete")} == {"old": "delete"}
    assert outcome.error is None
    assert set(grafana.dashboards) == {"a", "b", "c", "mine", "elsewhere"}


def test_without_prune_nothing_is_deleted(grafana):
    push(grafana)
    plan, _ = push(grafana, {"a": LOCAL["a"]})
    assert set(grafana.dashboards) == {"a", "b", "c"} and not plan.of("delete")


def test_retried_write_that_had_landed_is_not_a_conflict(grafana):
    grafana.fail("POST", "/api/dashboards/db", kind="drop_after")  # saved, answer lost, client retries
    plan, outcome = push(grafana, concurrency=1)
    assert outcome.error is None and outcome.count("done") == 3
    assert [e[2] for e in grafana.writes].count(412) == 1
    assert set(actions(push(grafana)[0]).values()) == {"unchanged"}


def test_name_exists_is_a_clear_error(grafana):
    grafana.add_folder(FOLDER_UID, FOLDER)
    grafana.save({"dashboard": dash("someone-else", "A"), "folderUid": FOLDER_UID}, "bob")
    plan, outcome = push(grafana, {"a": dash("a", "A")})
    assert outcome.error.status == 412
    assert "another dashboard titled 'A' already exists in folder 'Azora'" in str(outcome.error)
    assert "someone-else" in grafana.dashboards  # untouched


def test_403_on_write_names_the_folder_and_stops(grafana):
    grafana.add_folder(FOLDER_UID, FOLDER)
    plan, outcome = push(grafana, token="viewer", concurrency=1)
    assert outcome.error.status == 403
    assert "lacks permission to write folder 'Azora'" in str(outcome.error)
    assert len(grafana.writes) == 1  # no storm: the remaining writes were never started


def test_403_on_folder_creation(grafana):
    with pytest.raises(GrafanaAPIError, match="lacks permission to create folder 'Azora'"):
        push(grafana, token="viewer")


def test_401_fails_on_the_first_request(grafana):
    with pytest.raises(GrafanaAPIError) as err:
        push(grafana, token="bad")
    # /api/health is anonymous; the first authenticated request fails and nothing follows it.
    assert err.value.status == 401 and [e[1] for e in grafana.log] == ["/api/health", "/apis"]


def test_interrupted_push_leaves_old_or_new_and_rerun_converges(grafana):
    push(grafana)
    v2 = {uid: dash(uid, f"{uid} v2") for uid in LOCAL}
    grafana.fail("POST", "/api/dashboards/db", status=500, times=3)  # one write fails for good
    plan, outcome = push(grafana, v2, concurrency=1)
    assert outcome.error is not None and outcome.error.status == 500
    for uid in LOCAL:
        assert normalise(live(grafana, uid)) in (LOCAL[uid], v2[uid])
    plan, outcome = push(grafana, v2)
    assert outcome.error is None and not outcome.refused
    assert all(normalise(live(grafana, uid)) == v2[uid] for uid in LOCAL)


def test_local_dashboard_without_managed_tag_is_refused(grafana):
    with pytest.raises(Exception, match="has no 'managed-by-azora-dash' tag, so it was not built by azora-dash"):
        push(grafana, {"x": dash("x", tags=[])})


def test_uid_renamed_in_code_with_prune_replaces_the_old_dashboard(grafana):
    push(grafana)
    renamed = {"a2" if uid == "a" else uid: dict(d, uid="a2") if uid == "a" else d for uid, d in LOCAL.items()}
    plan, outcome = push(grafana, renamed, prune=True)
    assert {i.uid: i.action for i in plan.writes} == {"a2": "create", "a": "delete"}
    assert outcome.error is None and set(grafana.dashboards) == {"a2", "b", "c"}
    assert live(grafana, "a2")["title"] == LOCAL["a"]["title"]


def test_unreadable_history_is_a_conflict_naming_the_dashboard_not_an_abort(grafana):
    push(grafana)
    grafana.dashboards["b"]["versions"] = []  # the version row is gone: Grafana answers 500
    plan, outcome = push(grafana, {uid: dash(uid, f"{uid} v2") for uid in LOCAL})
    assert actions(plan) == {"a": "update", "b": "conflict", "c": "update"}
    assert plan.items[1].reason.startswith("unknown history (version 1 unreadable: HTTP 500)")
    assert outcome.refused
