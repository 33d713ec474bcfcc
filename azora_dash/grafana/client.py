"""A small Grafana HTTP API client over ``requests.Session`` (STYLE.md principle 14).

One method per endpoint used by push/pull; every non-2xx answer becomes a
one-line ``GrafanaAPIError``. It never prints: an optional ``trace`` callback
receives one line per request (method, URL, status, time) for ``--verbose``.
The token only ever lives in the session's Authorization header; no message,
trace line or repr includes it (tests assert this).

Retries: connection errors, timeouts, 429 and 5xx are retried with exponential
backoff and full jitter, at most ``tries`` attempts; a 429's ``Retry-After`` is
honoured. Other 4xx are never retried (401/403 must not turn into a storm).
Endpoint facts come from grafana/grafana docs/sources/developers/http_api/
{dashboard,folder,folder_dashboard_search,dashboard_versions}.md.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

from ..errors import AzoraDashError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Grafana's search caps `limit` at 5000 (folder_dashboard_search.md).
SEARCH_PAGE = 5000
FOLDER_PAGE = 1000  # GET /api/folders pages (folder.md: limit defaults to 1000)
# First backoff step in seconds (doubles per try); tests shrink it to keep the suite fast.
BACKOFF = 0.5


class GrafanaAPIError(AzoraDashError):
    """Grafana answered with an error (or not at all). ``status`` is None when no HTTP answer came."""

    def __init__(self, status: int | None, message: str, grafana_status: str | None = None):
        super().__init__(message)
        self.status = status
        # Grafana's machine-readable "status" field, e.g. "version-mismatch", "name-exists".
        self.grafana_status = grafana_status


@dataclass(frozen=True)
class Auth:
    """Bearer token (service account) or basic auth. ``repr`` never shows the secret."""

    token: str | None = None
    user: str | None = None
    password: str | None = None

    def __repr__(self) -> str:
        kind = "token" if self.token else "basic" if self.user else "none"
        return f"Auth({kind})"

    def apply(self, session: requests.Session) -> None:
        if self.token:
            session.headers["Authorization"] = f"Bearer {self.token}"
        elif self.user:
            session.auth = (self.user, self.password or "")


def redact_url(url: str) -> str:
    """Drop any user:password@ from a URL before it appears in a message."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        return urlunsplit(parts._replace(netloc=netloc))
    return url


class GrafanaClient:
    def __init__(
        self,
        url: str,
        auth: Auth,
        timeout: float = 10.0,
        verify: bool | str = True,
        tries: int = 3,
        backoff: float | None = None,
        max_sleep: float = 30.0,
        pool: int = 10,
        trace: Callable[[str], None] | None = None,
        org_id: int | None = None,
    ):
        self.base = url.rstrip("/")
        self.shown = redact_url(self.base)
        self.timeout = timeout
        self.tries = max(1, tries)
        self.backoff = BACKOFF if backoff is None else backoff
        self.max_sleep = max_sleep
        self.trace = trace
        # Passed on every request, not set on the session: requests lets REQUESTS_CA_BUNDLE /
        # CURL_CA_BUNDLE override session.verify, which would silently drop --ca-bundle.
        self.verify = verify
        self.session = requests.Session()
        self.session.headers.update({"Accept": "application/json", "User-Agent": "azora-dash"})
        # One pooled connection per worker thread; requests' default pool of 10
        # would discard (and re-open) connections beyond that under --concurrency.
        adapter = HTTPAdapter(pool_connections=2, pool_maxsize=max(pool, 10), max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        auth.apply(self.session)
        self.org_id = org_id
        if org_id is not None:
            # Selects the org for every request (pkg/api/dashboard.go reads c.SignedInUser.GetOrgID(),
            # which pkg/services/contexthandler sets from X-Grafana-Org-Id); without it basic auth
            # writes into whichever org the user last switched to in the UI.
            self.session.headers["X-Grafana-Org-Id"] = str(org_id)

    def __repr__(self) -> str:
        return f"GrafanaClient({self.shown!r})"

    def close(self) -> None:
        self.session.close()

    def dashboard_url(self, uid: str) -> str:
        # /d/<uid> redirects to the slugged URL, so it stays valid across title changes.
        return f"{self.shown}/d/{uid}"

    # -- endpoints -----------------------------------------------------------------
    def health(self) -> str:
        """Grafana's version from GET /api/health (pkg/api/health.go apiHealthHandler: {"database", "version"}).

        Asked first, so a wrong base URL or a proxy's login page (HTML, or 404 for every
        path) is one clear error instead of a plan that creates everything.
        """
        try:
            body = self._request("GET", "/api/health")
        except GrafanaAPIError as exc:
            if exc.status is None or exc.status in (401, 403):
                raise
            raise GrafanaAPIError(exc.status, f"{self.shown} is not a Grafana ({exc}); check the base URL") from None
        version = body.get("version") if isinstance(body, dict) else None
        if not isinstance(version, str) or not version:
            raise GrafanaAPIError(
                200, f"{self.shown}/api/health answered without a Grafana version; is this Grafana's base URL?"
            )
        return version

    def current_org(self) -> int:
        """The org requests act in (GET /api/org, pkg/api/org.go GetCurrentOrg); any role may read it."""
        if self.org_id is not None:
            return self.org_id
        return int(self._request("GET", "/api/org").get("id") or 1)

    def api_versions(self, group: str) -> list[str]:
        """Versions of an API group the server offers (GET /apis, the Kubernetes APIGroupList); [] before 12."""
        found = self._get_or_none("/apis")
        groups = found.get("groups") if isinstance(found, dict) else None
        for entry in groups or []:
            if entry.get("name") == group:
                return [v.get("version") for v in entry.get("versions") or [] if v.get("version")]
        return []

    def get_folder(self, uid: str) -> dict | None:
        """GET /api/folders/:uid; None when the folder does not exist (404)."""
        return self._get_or_none(f"/api/folders/{quote(uid, safe='')}")

    def create_folder(self, uid: str, title: str, parent_uid: str = "") -> dict:
        """POST /api/folders; ``parentUid`` nests it (pkg/services/folder/model.go CreateFolderCommand)."""
        body = {"uid": uid, "title": title, **({"parentUid": parent_uid} if parent_uid else {})}
        return self._request("POST", "/api/folders", json=body)

    def child_folders(self, parent_uid: str) -> list[dict]:
        """The folders directly inside ``parent_uid``, following pages.

        GET /api/folders?parentUid= (pkg/api/folder.go GetFolders: with nested folders, GetChildren of
        ``parentUid``). Without nested folders (10.x by default) Grafana ignores ``parentUid`` and lists
        every folder, with no ``parentUid`` field: only hits naming the parent count as children.
        """
        children: list[dict] = []
        page = 1
        while True:
            params = {"parentUid": parent_uid, "limit": FOLDER_PAGE, "page": page}
            batch = self._request("GET", "/api/folders", params=params)
            if not isinstance(batch, list):
                raise GrafanaAPIError(200, f"GET {self.shown}/api/folders: expected a JSON list of folders")
            children.extend(hit for hit in batch if isinstance(hit, dict) and hit.get("parentUid") == parent_uid)
            if len(batch) < FOLDER_PAGE:
                return children
            page += 1

    def search(self, folder_uid: str | None = None, tag: str | None = None) -> list[dict]:
        """Every dashboard hit (type dash-db), optionally in one folder, following pages."""
        hits: list[dict] = []
        page = 1
        while True:
            params = {"type": "dash-db", "limit": SEARCH_PAGE, "page": page}
            if folder_uid:
                params["folderUIDs"] = folder_uid
            if tag:
                params["tag"] = tag
            batch = self._request("GET", "/api/search", params=params)
            if not isinstance(batch, list):
                raise GrafanaAPIError(200, f"GET {self.shown}/api/search: expected a JSON list of hits")
            hits.extend(batch)
            if len(batch) < SEARCH_PAGE:
                return hits
            page += 1

    def get_dashboard(self, uid: str) -> dict | None:
        """GET /api/dashboards/uid/:uid -> {"dashboard": ..., "meta": ...}; None on 404."""
        return self._get_or_none(f"/api/dashboards/uid/{quote(uid, safe='')}")

    def get_version(self, uid: str, version: int) -> dict | None:
        """GET /api/dashboards/uid/:uid/versions/:version (message and data of one save).

        Not retried: a missing version row answers 500 (pkg/api/dashboard.go GetDashboardVersion),
        which no retry cures.
        """
        path = f"/api/dashboards/uid/{quote(uid, safe='')}/versions/{int(version)}"
        try:
            return self._request("GET", path, retry=False)
        except GrafanaAPIError as exc:
            if exc.status == 404:
                return None
            raise

    def upsert_dashboard(self, dashboard: dict, folder_uid: str, message: str, overwrite: bool = False) -> dict:
        body = {"dashboard": dashboard, "folderUid": folder_uid, "overwrite": overwrite, "message": message}
        return self._request("POST", "/api/dashboards/db", json=body)

    def delete_dashboard(self, uid: str) -> dict:
        return self._request("DELETE", f"/api/dashboards/uid/{quote(uid, safe='')}")

    # -- plumbing ------------------------------------------------------------------
    def request(self, method: str, path: str, **kwargs):
        """Any endpoint (the resource API in ``resources.py``), with the same retries and errors."""
        return self._request(method, path, **kwargs)

    def _get_or_none(self, path: str):
        try:
            return self._request("GET", path)
        except GrafanaAPIError as exc:
            if exc.status == 404:
                return None
            raise

    def _request(self, method: str, path: str, retry: bool = True, **kwargs):
        where = f"{method} {self.shown}{path}"
        tries = self.tries if retry else 1
        for attempt in range(1, tries + 1):
            started = time.monotonic()
            try:
                # Never follow a redirect: requests turns a redirected POST into a GET
                # (sessions.py rebuild_method), so a write would silently become a read.
                resp = self.session.request(
                    method, self.base + path, timeout=self.timeout, verify=self.verify, allow_redirects=False, **kwargs
                )
            except requests.Timeout:
                failure, wait = GrafanaAPIError(None, f"{where}: no answer within {self.timeout:g}s (--timeout)"), None
            except requests.exceptions.SSLError:
                # Not transient: retrying cannot fix a certificate problem.
                raise GrafanaAPIError(
                    None, f"{where}: TLS verification failed; use --ca-bundle FILE for a private CA"
                ) from None
            except requests.ConnectionError as exc:
                failure, wait = GrafanaAPIError(None, f"{where}: connection failed ({_reason(exc)})"), None
            else:
                self._trace(f"{where} -> {resp.status_code} in {time.monotonic() - started:.3f}s (try {attempt})")
                if 300 <= resp.status_code < 400:
                    raise _redirected(resp, where)
                if resp.status_code < 400:
                    return _json_body(resp, where)
                failure = _error(resp, where)
                if resp.status_code not in RETRY_STATUSES:
                    raise failure
                wait = _retry_after(resp)
            if attempt == tries:
                if tries == 1:
                    raise failure
                raise GrafanaAPIError(
                    failure.status, f"{failure} (gave up after {tries} tries)", failure.grafana_status
                )
            delay = self._delay(attempt, wait)
            self._trace(f"{where}: {failure}; retrying in {delay:.2f}s")
            _sleep(delay)
        raise AssertionError("unreachable")

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_sleep)
        # Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter").
        return random.uniform(0, min(self.max_sleep, self.backoff * 2 ** (attempt - 1)))

    def _trace(self, line: str) -> None:
        if self.trace:
            self.trace(line)


def _sleep(seconds: float) -> None:
    time.sleep(seconds)  # indirection so tests can record backoff without patching time itself


def _reason(exc: Exception) -> str:
    """A short cause for a connection error, without requests' long nested repr."""
    text = str(exc)
    for marker in (
        "Connection refused",
        "Name or service not known",
        "Remote end closed connection",
        "Connection reset",
        "Connection aborted",
        "timed out",
    ):
        if marker in text:
            return marker.lower()
    return type(exc).__name__


def _retry_after(resp) -> float | None:
    value = resp.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None  # HTTP-date form: fall back to our own backoff


def _redirected(resp, where: str) -> GrafanaAPIError:
    location = redact_url(resp.headers.get("Location") or "(no Location)")
    return GrafanaAPIError(
        resp.status_code,
        f"{where}: redirected (HTTP {resp.status_code}) to {location}; use the final URL as --url "
        "(azora-dash never follows redirects, which would turn writes into reads)",
    )


def _json_body(resp, where: str):
    if not resp.content:
        return {}
    try:
        return resp.json()
    except ValueError:
        kind = (
            "an HTML page"
            if "html" in resp.headers.get("Content-Type", "").lower() or resp.text.lstrip().startswith("<")
            else "non-JSON"
        )
        raise GrafanaAPIError(
            resp.status_code,
            f"{where}: got {kind} instead of JSON "
            f"(HTTP {resp.status_code}); is the URL Grafana's, not a proxy or login page?",
        ) from None


def _error(resp, where: str) -> GrafanaAPIError:
    status = resp.status_code
    try:
        body = resp.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        kind = "an HTML page" if resp.text.lstrip().startswith("<") else "a non-JSON body"
        return GrafanaAPIError(
            status, f"{where}: HTTP {status} with {kind} (a proxy or login page, not Grafana's API?)"
        )
    message = " ".join(str(body.get("message") or resp.reason or "error").split())
    if status == 401:
        message = f"credentials rejected by Grafana ({message}); check the token or GRAFANA_USER/GRAFANA_PASSWORD"
    elif status == 403:
        message = f"permission denied ({message})"
    return GrafanaAPIError(status, f"{where}: HTTP {status}: {message}", body.get("status"))
