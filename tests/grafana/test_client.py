"""GrafanaClient against the stand-in Grafana: errors, retries, faults, secrecy."""

from __future__ import annotations

import pytest

from azora_dash.grafana import client as grafana_api
from azora_dash.grafana.client import Auth, GrafanaAPIError, GrafanaClient, redact_url

from ..fakes.grafana_stub import running, self_signed

TOKEN = "glsa_SECRET_token_value_123"


@pytest.fixture
def grafana():
    with running(token=TOKEN, viewer_token="viewer-token") as stub:
        yield stub


@pytest.fixture
def sleeps(monkeypatch):
    """Record backoff sleeps instead of sleeping: no multi-second waits, and we can check them."""
    slept: list[float] = []
    monkeypatch.setattr(grafana_api, "_sleep", slept.append)
    return slept


def client(stub, token=TOKEN, **kwargs) -> GrafanaClient:
    return GrafanaClient(stub.url, Auth(token=token), **{"timeout": 2.0, "backoff": 0.01, **kwargs})


def test_get_missing_dashboard_and_folder_is_none(grafana):
    api = client(grafana)
    assert api.get_dashboard("nope") is None
    assert api.get_folder("nope") is None
    assert [e[2] for e in grafana.log] == [404, 404]


def test_create_folder_then_upsert_counts_versions(grafana):
    api = client(grafana)
    api.create_folder("f1", "Folder One")
    first = api.upsert_dashboard({"uid": "d1", "title": "One", "tags": []}, "f1", "m1")
    second = api.upsert_dashboard({"uid": "d1", "title": "One!", "tags": [], "version": 1}, "f1", "m2")
    assert (first["version"], second["version"]) == (1, 2)
    live = api.get_dashboard("d1")
    assert live["dashboard"]["version"] == 2 and live["meta"]["folderUid"] == "f1"
    assert api.get_version("d1", 2)["message"] == "m2"
    assert [hit["uid"] for hit in api.search(folder_uid="f1")] == ["d1"]


def test_stale_version_is_412_version_mismatch(grafana):
    api = client(grafana)
    api.upsert_dashboard({"uid": "d1", "title": "One"}, "", "m")
    with pytest.raises(GrafanaAPIError) as err:
        api.upsert_dashboard({"uid": "d1", "title": "One", "version": 0}, "", "m")
    assert (err.value.status, err.value.grafana_status) == (412, "version-mismatch")
    assert "changed by someone else" in str(err.value)
    assert len(grafana.log) == 2  # 4xx other than 429 is never retried


def test_401_is_one_clear_line_without_retry(grafana):
    with pytest.raises(GrafanaAPIError) as err:
        client(grafana, token="wrong").search()
    assert err.value.status == 401
    assert "credentials rejected" in str(err.value) and "\n" not in str(err.value)
    assert len(grafana.log) == 1


def test_403_names_the_missing_permission(grafana):
    with pytest.raises(GrafanaAPIError) as err:
        client(grafana, token="viewer-token").create_folder("f", "F")
    assert err.value.status == 403
    assert "permission denied" in str(err.value) and "folders:create" in str(err.value)
    assert len(grafana.log) == 1


def test_429_honours_retry_after(grafana, sleeps):
    grafana.fail("GET", "/api/search", status=429, retry_after="7")
    assert client(grafana).search() == []
    assert sleeps == [7.0]
    assert [e[2] for e in grafana.log] == [429, 200]


def test_500_then_success(grafana, sleeps):
    grafana.fail("GET", "/api/search", status=500, times=2)
    assert client(grafana).search() == []
    assert [e[2] for e in grafana.log] == [500, 500, 200]
    assert len(sleeps) == 2 and all(0 <= s <= 0.02 for s in sleeps)  # jittered, bounded


def test_persistent_5xx_gives_up_after_three_tries(grafana, sleeps):
    grafana.fail("GET", "/api/search", status=503, times=10)
    with pytest.raises(GrafanaAPIError) as err:
        client(grafana).search()
    assert err.value.status == 503 and "gave up after 3 tries" in str(err.value)
    assert len(grafana.log) == 3


def test_timeout_is_retried_then_reported(grafana, sleeps):
    grafana.fail("GET", "/api/folders/", kind="hang", seconds=1.0, times=5)
    with pytest.raises(GrafanaAPIError) as err:
        client(grafana, timeout=0.2, tries=2).get_folder("x")
    assert err.value.status is None and "no answer within 0.2s" in str(err.value)
    assert len(grafana.log) == 2


def test_dropped_connection_is_retried(grafana, sleeps):
    grafana.fail("GET", "/api/search", kind="drop")
    assert client(grafana).search() == []
    assert [e[2] for e in grafana.log] == ["drop", 200]


def test_dropped_connection_every_time_is_a_clear_error(grafana, sleeps):
    grafana.fail("GET", "/api/search", kind="drop", times=5)
    with pytest.raises(GrafanaAPIError) as err:
        client(grafana).search()
    assert "connection failed" in str(err.value) and "gave up after 3 tries" in str(err.value)


@pytest.mark.parametrize("status", [200, 502])
def test_html_body_is_a_clear_error(grafana, sleeps, status):
    grafana.fail("GET", "/api/search", kind="html", status=status, times=5)
    with pytest.raises(GrafanaAPIError) as err:
        client(grafana).search()
    assert "HTML" in str(err.value) and "proxy or login page" in str(err.value)


def test_connection_refused(sleeps):
    api = GrafanaClient("http://127.0.0.1:9", Auth(token=TOKEN), timeout=1, backoff=0.01)
    with pytest.raises(GrafanaAPIError) as err:
        api.search()
    assert "connection failed (connection refused)" in str(err.value)


def test_token_never_in_repr_messages_or_trace(grafana, sleeps):
    lines: list[str] = []
    api = client(grafana, trace=lines.append)
    grafana.fail("GET", "/api/search", status=500)
    api.search()
    errors = []
    for bad in (
        lambda: client(grafana, token=TOKEN + "x", trace=lines.append).search(),
        lambda: api.delete_dashboard("missing"),
    ):
        with pytest.raises(GrafanaAPIError) as err:
            bad()
        errors.append(str(err.value))
    text = "\n".join([repr(api), repr(Auth(token=TOKEN)), *lines, *errors])
    assert lines and TOKEN not in text


def test_url_credentials_are_redacted():
    assert redact_url("https://bob:hunter2@grafana.example:3000/sub") == "https://grafana.example:3000/sub"
    assert "hunter2" not in repr(GrafanaClient("https://bob:hunter2@g.example", Auth(token="t")))


def test_basic_auth(sleeps):
    with running(token="t", basic=("admin", "pw")) as stub:
        api = GrafanaClient(stub.url, Auth(user="admin", password="pw"), backoff=0.01)
        assert api.search() == []
        with pytest.raises(GrafanaAPIError):
            GrafanaClient(stub.url, Auth(user="admin", password="bad")).search()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return self_signed(tmp_path_factory.mktemp("tls"))


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_tls_is_verified_by_default_and_ca_bundle_or_insecure_opt_out(certificate, sleeps):
    with running(tls=certificate, token=TOKEN) as stub:
        assert stub.url.startswith("https://")
        with pytest.raises(GrafanaAPIError, match="TLS verification failed; use --ca-bundle"):
            client(stub).search()
        assert client(stub, verify=certificate[0]).search() == []
        assert client(stub, verify=False).search() == []
    assert sleeps == []  # a certificate problem is not retried


def test_a_redirect_is_an_error_naming_the_new_location(grafana, sleeps):
    grafana.fail("POST", "/api/folders", kind="redirect", status=301)
    with pytest.raises(GrafanaAPIError) as err:
        client(grafana).create_folder("f", "F")
    assert "redirected (HTTP 301) to https://grafana.example/api/folders" in str(err.value)
    assert [e[0] for e in grafana.log] == ["POST"]  # not re-sent as a GET, not retried


def test_a_missing_version_row_is_500_and_not_retried(grafana, sleeps):
    api = client(grafana)
    api.create_folder("f", "F")
    api.upsert_dashboard({"uid": "d", "title": "D"}, "f", "m")
    with pytest.raises(GrafanaAPIError) as err:
        api.get_version("d", 7)
    assert err.value.status == 500 and sleeps == []


@pytest.mark.parametrize("version, wrapped", [("11.2", False), ("12.2", True)])
def test_stand_in_versions_list_and_rbac_follow_the_release(version, wrapped):
    import requests

    with running(token=TOKEN, viewer_token="viewer-token", version=version) as stub:
        api = client(stub)
        api.create_folder("f", "F")
        api.upsert_dashboard({"uid": "d", "title": "D"}, "f", "first")
        listed = api.request("GET", "/api/dashboards/uid/d/versions")
        assert isinstance(listed, dict) == wrapped  # 12: {"continueToken", "versions"}
        answer = requests.get(
            f"{stub.url}/api/dashboards/uid/d/versions/1", headers={"Authorization": "Bearer viewer-token"}
        )
        assert answer.status_code == 403  # a Viewer cannot read version history
        assert api.health() == f"{version}.0" and (api.api_versions("dashboard.grafana.app") != []) == wrapped
