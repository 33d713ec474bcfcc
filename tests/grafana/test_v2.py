"""Schema v2 push and pull against the stand-in playing 12.2 (v2beta1) and 13.0 (v2)."""

from __future__ import annotations

import json

import pytest

from azora_dash.build.project import build_v2, render
from azora_dash.config import DEFAULT
from azora_dash.dashboard_v2 import spec_v2, to_v2
from azora_dash.errors import ConfigError
from azora_dash.grafana import client as grafana_api
from azora_dash.grafana.client import Auth, GrafanaAPIError, GrafanaClient
from azora_dash.grafana.pull import fetch_live, pull
from azora_dash.grafana.push import apply_plan, plan_push, validate_plan
from azora_dash.jsonio import dumps

from ..conftest import ROOT
from ..fakes.grafana_model import go_roundtrip
from ..fakes.grafana_stub import running

TAG = DEFAULT.managed_tag
FOLDER, FOLDER_UID = DEFAULT.folder, DEFAULT.folder_uid
COMPILED = render(DEFAULT, ROOT / "dashboards")[0]
BUILT = {c.uid: c.dashboard for c in COMPILED}
SECTIONS = {c.uid: c.sections for c in COMPILED}  # v2-only layout: tabs, conditions
TABBED = next(uid for uid, marks in SECTIONS.items() if marks)
ALERTS = "azora-alerts"
TWO = {uid: BUILT[uid] for uid in sorted(BUILT)[:2]}


@pytest.fixture(params=("12.2", "13.0"))
def grafana(request, monkeypatch):
    monkeypatch.setattr(grafana_api, "_sleep", lambda s: None)
    with running(token="tok", version=request.param) as stub:
        yield stub


def api(stub) -> GrafanaClient:
    return GrafanaClient(stub.url, Auth(token="tok"), timeout=2, backoff=0.001)


def push(stub, local=TWO, schema="v2", force=False):
    client = api(stub)
    plan = plan_push(client, local, FOLDER, FOLDER_UID, TAG, schema=schema, sections=SECTIONS)
    return plan, apply_plan(client, plan, commit="abc123", force=force)


def actions(plan) -> dict[str, str]:
    return {i.uid: i.action for i in plan.items}


def v2_writes(stub) -> list[str]:
    return [path for method, path, code in stub.writes if "/apis/" in path and code in (200, 201)]


def test_push_v2_stores_v2_resources_and_a_repush_writes_nothing(grafana):
    version = grafana.behaviour.v2_version  # 12.2: v2beta1, 13.0: v2
    plan, outcome = push(grafana)
    assert outcome.error is None and outcome.count("done") == 2 and {i.schema for i in plan.items} == {"v2"}
    assert all(f"/apis/dashboard.grafana.app/{version}/namespaces/default/dashboards" in p for p in v2_writes(grafana))
    row = grafana.dashboards[ALERTS]
    assert row["stored"] == version and row["spec2"] == go_roundtrip(spec_v2(BUILT[ALERTS]))
    assert row["annotations"]["grafana.app/managedBy"] == "kubectl"
    writes = len(grafana.writes)
    again, outcome = push(grafana)
    assert set(actions(again).values()) == {"unchanged"} and len(grafana.writes) == writes
    # auto keeps what is stored: still nothing to write
    auto, _ = push(grafana, schema="auto")
    assert set(actions(auto).values()) == {"unchanged"} and len(grafana.writes) == writes


def test_dry_run_lets_grafana_validate_each_v2_write_and_stores_nothing(grafana):
    push(grafana)
    changed = dict(BUILT[ALERTS], title="Dry")
    plan = plan_push(api(grafana), dict(TWO, **{ALERTS: changed}), FOLDER, FOLDER_UID, TAG, schema="v2")
    assert validate_plan(plan, "abc") == 0 and actions(plan)[ALERTS] == "update"
    dry = [w for w in grafana.writes if "dryRun=All" in w[1]]
    assert len(dry) == 1 and f"/{grafana.behaviour.v2_version}/" in dry[0][1]
    assert grafana.dashboards[ALERTS]["spec2"]["title"] == BUILT[ALERTS]["title"]


def test_steady_state_costs_one_list_in_either_schema(grafana):
    for schema in ("v2", "v1"):
        push(grafana, schema=schema)
        before = len(grafana.log)
        plan, _ = push(grafana, schema=schema)
        paths = [entry[1].split("?")[0] for entry in grafana.log[before:]]
        assert set(actions(plan).values()) == {"unchanged"}
        assert paths[-1].endswith("/dashboards") and len(paths) == 5, paths  # health, /apis, org, folder, LIST
        listed = grafana.behaviour.v2_version if schema == "v2" else "v0alpha1"
        assert f"/{listed}/" in paths[-1]


def test_code_change_updates_the_v2_resource(grafana):
    push(grafana)
    changed = json.loads(json.dumps(BUILT[ALERTS]))
    changed["title"] = "Alerts, renamed in code"
    plan, outcome = push(grafana, dict(TWO, **{ALERTS: changed}))
    assert actions(plan)[ALERTS] == "update" and not outcome.refused and outcome.error is None
    assert grafana.dashboards[ALERTS]["spec2"]["title"] == "Alerts, renamed in code"


def test_human_edit_of_a_v2_dashboard_is_refused_then_forced(grafana):
    push(grafana)
    grafana.human_save_v2(ALERTS, lambda spec: spec.update(title="Edited in the UI"))
    writes = len(grafana.writes)
    plan, outcome = push(grafana)
    assert actions(plan)[ALERTS] == "conflict" and outcome.refused and "alice" in plan.items[0].reason
    assert len(grafana.writes) == writes  # nothing written
    plan, outcome = push(grafana, force=True)
    assert outcome.error is None and grafana.dashboards[ALERTS]["spec2"]["title"] == BUILT[ALERTS]["title"]


def test_edit_between_plan_and_apply_is_caught_by_resource_version(grafana):
    push(grafana)
    changed = dict(BUILT[ALERTS], title="Code change")
    client = api(grafana)
    plan = plan_push(client, dict(TWO, **{ALERTS: changed}), FOLDER, FOLDER_UID, TAG, schema="v2")
    grafana.human_save_v2(ALERTS, lambda spec: spec.update(title="Racing UI save"))
    outcome = apply_plan(client, plan, commit="abc")
    assert outcome.count("conflict") == 1 and grafana.dashboards[ALERTS]["spec2"]["title"] == "Racing UI save"


def test_schema_switch_is_an_update_and_v1_reads_v2_stored(grafana):
    push(grafana)
    plan, outcome = push(grafana, schema="v1")
    assert set(actions(plan).values()) == {"update"} and "stored as v2" in plan.items[0].reason
    assert outcome.error is None and "stored" not in grafana.dashboards[ALERTS]
    plan, _ = push(grafana, schema="v2")
    assert set(actions(plan).values()) == {"update"} and grafana.dashboards[ALERTS]["stored"]


def test_v1_endpoint_reports_the_stored_v2_version(grafana):
    push(grafana)
    classic = grafana.behaviour.resource_versions[0]
    obj = api(grafana).request("GET", f"/apis/dashboard.grafana.app/{classic}/namespaces/default/dashboards/{ALERTS}")
    assert obj["status"]["conversion"] == {"failed": False, "storedVersion": grafana.behaviour.v2_version}
    assert obj["spec"]["title"] == BUILT[ALERTS]["title"] and "elements" not in obj["spec"]


def test_pull_reads_v2_stored_and_pull_v2_is_byte_identical_to_build_v2(grafana, tmp_path):
    push(grafana, BUILT)
    assert fetch_live(api(grafana), folder_uid=FOLDER_UID) == BUILT
    build_v2(DEFAULT, ROOT / "dashboards", tmp_path / "build")
    pull(api(grafana), tmp_path / "pulled", folder_uid=FOLDER_UID, schema="v2")
    for uid in BUILT:
        built = (tmp_path / "build" / f"{uid}.json").read_bytes()
        assert (tmp_path / "pulled" / f"{uid}.json").read_bytes() == built, uid
    # a v1-stored dashboard pulls as v2 just the same, except for what only v2 holds (tabs)
    push(grafana, BUILT, schema="v1")
    _, again = pull(api(grafana), tmp_path / "pulled", folder_uid=FOLDER_UID, schema="v2")
    assert again.written == [f"{TABBED}.json"]


def test_tabs_are_part_of_the_comparison(grafana):
    """A tab turned into a row in the UI changes nothing in the classic model, but is an edit."""
    local = {TABBED: BUILT[TABBED]}
    push(grafana, local)
    assert grafana.dashboards[TABBED]["spec2"]["layout"]["kind"] == "TabsLayout"
    assert set(actions(push(grafana, local)[0]).values()) == {"unchanged"}

    def untab(spec):
        tabs = spec["layout"]["spec"]["tabs"]
        spec["layout"] = {"kind": "RowsLayout", "spec": {"rows": [dict(t, kind="RowsLayoutRow") for t in tabs]}}

    grafana.human_save_v2(TABBED, untab)
    plan, outcome = push(grafana, local)
    assert actions(plan) == {TABBED: "conflict"} and outcome.refused and "changed in Grafana" in plan.items[0].reason


def test_an_unreadable_v2_layout_is_a_conflict_for_push_and_one_line_for_pull(grafana, tmp_path):
    grafana.add_folder(FOLDER_UID, FOLDER)
    grafana.store_v2(ALERTS, "Auto grid", FOLDER_UID, layout="AutoGridLayout")
    plan, outcome = push(grafana)
    assert actions(plan)[ALERTS] == "conflict" and "AutoGridLayout" in plan.items[0].reason and outcome.refused
    with pytest.raises(GrafanaAPIError, match=f"dashboard '{ALERTS}' is stored in schema v2 and not readable"):
        pull(api(grafana), tmp_path / "out", [ALERTS])
    assert not (tmp_path / "out").exists()


def test_a_resource_of_another_kind_is_one_line_and_nothing_is_written(grafana, tmp_path):
    push(grafana)
    real = grafana._object
    grafana._object = lambda version, uid: dict(real(version, uid), kind="LibraryPanel")
    with pytest.raises(GrafanaAPIError, match=f"'{ALERTS}' is a LibraryPanel of dashboard.grafana.app/v2.*not read"):
        pull(api(grafana), tmp_path / "out", [ALERTS])
    with pytest.raises(GrafanaAPIError, match="is a LibraryPanel"):
        push(grafana)
    assert not (tmp_path / "out").exists()


def test_a_grafana_without_v2_is_one_clear_line():
    with running(token="tok", version="11.2") as stub:
        with pytest.raises(ConfigError, match="offers no dashboard.grafana.app v2/v2beta1 API.*push --schema v1"):
            plan_push(api(stub), TWO, FOLDER, FOLDER_UID, TAG, schema="v2")
        assert stub.writes == []


def test_pull_v1_of_a_v2_stored_dashboard_is_the_classic_build(grafana, tmp_path):
    push(grafana)
    live, _ = pull(api(grafana), tmp_path, [ALERTS])
    assert (tmp_path / f"{ALERTS}.json").read_text() == dumps(BUILT[ALERTS]) == dumps(live[ALERTS])
    assert dumps(to_v2(BUILT[ALERTS], FOLDER_UID)) != dumps(BUILT[ALERTS])
