"""fetch_live/pull: live dashboards come back in the build's canonical form."""

from __future__ import annotations

import pytest

from azora_dash.grafana.client import Auth, GrafanaAPIError, GrafanaClient
from azora_dash.grafana.pull import fetch_live, normalise, pmap, pull, same
from azora_dash.jsonio import dumps

from ..fakes.grafana_stub import running


@pytest.fixture
def grafana():
    with running(token="tok") as stub:
        stub.add_folder("azora", "Azora")
        stub.add_folder("other", "Other")
        for uid, folder in (("b", "azora"), ("a", "azora"), ("x", "other")):
            stub.save(
                {"dashboard": {"uid": uid, "title": uid.upper(), "tags": ["t"], "iteration": 17}, "folderUid": folder},
                "u",
            )
        yield stub


def api(stub) -> GrafanaClient:
    return GrafanaClient(stub.url, Auth(token="tok"), backoff=0.001)


def test_normalise_drops_only_grafana_bookkeeping():
    live = {"id": 7, "version": 3, "iteration": 1, "uid": "u", "title": "T", "panels": [{"id": 1}]}
    assert normalise(live) == {"uid": "u", "title": "T", "panels": [{"id": 1}]}
    assert same({"b": 1, "a": 2, "version": 9}, {"a": 2, "b": 1}) and not same({"a": 1}, {"a": 2})


def test_fetch_live_by_folder(grafana):
    live = fetch_live(api(grafana), folder_uid="azora")
    assert live == {"a": {"uid": "a", "title": "A", "tags": ["t"]}, "b": {"uid": "b", "title": "B", "tags": ["t"]}}


def test_fetch_live_by_uid_and_missing_uid(grafana):
    assert list(fetch_live(api(grafana), ["x"])) == ["x"]
    with pytest.raises(GrafanaAPIError, match="no dashboard with uid 'nope'"):
        fetch_live(api(grafana), ["x", "nope"])


def test_pull_writes_canonical_files_and_is_idempotent(grafana, tmp_path):
    live, files = pull(api(grafana), tmp_path, folder_uid="azora")
    assert files.written == ["a.json", "b.json"]
    assert (tmp_path / "a.json").read_text() == dumps(live["a"])
    assert pull(api(grafana), tmp_path, folder_uid="azora")[1].written == []


def test_pmap_keeps_order_and_raises_the_first_error():
    assert pmap(lambda x: x * 2, range(20), 4) == [x * 2 for x in range(20)]

    def boom(x):
        if x == 3:
            raise ValueError("three")
        return x

    with pytest.raises(ValueError, match="three"):
        pmap(boom, range(10), 4)


def test_a_v2_stored_dashboard_is_read_from_the_v2_api():
    with running(token="tok", version="12.2") as stub:
        stub.add_folder("azora", "Azora")
        stub.store_v2("dyn", "Dynamic", "azora")
        live = fetch_live(GrafanaClient(stub.url, Auth(token="tok")), folder_uid="azora")
        assert live["dyn"]["title"] == "Dynamic" and live["dyn"]["panels"] == []
        assert any("/apis/dashboard.grafana.app/v2beta1/" in entry[1] for entry in stub.log)
