"""The ``/api`` path of push (Grafana 10.x/11.x, and 12+ without the resource API).

Each dashboard costs a GET (``/api/dashboards/uid/<uid>``) and, when it differs from the
code, a version read (``/versions/<n>``) whose stored message proves who saved last.
Facts, all from grafana/grafana:
  * the version route needs ``dashboards:write`` (pkg/api/api.go, ``dashUidRoute.Get("/versions/:id",
    authorize(ac.EvalPermission(dashboards.ActionDashboardsWrite...)))``): a read-only token gets 403;
  * ``:id`` is the version number and an unknown one answers 500 (pkg/api/dashboard.go GetDashboardVersion);
  * a dashboard stored as schema v2 answers 406 on 12+ (pkg/api/dashboard.go GetDashboard);
  * ``meta.provisioned`` marks file-provisioned dashboards, which cannot be saved (400
    ErrDashboardCannotSaveProvisionedDashboard, pkg/services/dashboards/service/dashboard_service.go).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .client import GrafanaAPIError, GrafanaClient


@dataclass
class Live:
    """What push needs to know about one live dashboard, whichever API it came from."""

    dashboard: dict | None  # None: exists but cannot be read in the classic model
    folder: str
    lock: object  # /api: the version number; resource API: resourceVersion
    message_of: Callable[[], tuple[str, str]] | None  # -> (message, author); may raise; called only when needed
    provisioned: bool = False
    note: str = ""
    schema: str = "v1"  # the schema Grafana stores it in: "v1" (classic) or "v2"


class LegacyPath:
    name = "/api"
    validates = False  # no server-side dry run on /api
    schemas = ("v1",)

    def __init__(self, client: GrafanaClient):
        self.client = client

    def prepare(self) -> None:
        pass

    def live(self, uid: str) -> Live | None:
        try:
            found = self.client.get_dashboard(uid)
        except GrafanaAPIError as exc:
            if exc.status != 406:
                raise
            return Live(None, "", None, None, note="is stored in schema v2 in Grafana (not readable through /api)")
        if found is None:
            return None
        dash, meta = found["dashboard"], found.get("meta") or {}
        version = dash.get("version", meta.get("version"))
        return Live(
            dash,
            meta.get("folderUid", ""),
            version,
            lambda: self._message(uid, version),
            provisioned=bool(meta.get("provisioned")),
        )

    def _message(self, uid: str, version) -> tuple[str, str]:
        entry = self.client.get_version(uid, version) if isinstance(version, int) else None
        if entry is None:
            raise GrafanaAPIError(404, f"version {version} not found")
        return entry.get("message") or "", entry.get("createdBy") or "someone"

    def in_folder(self, folder_uid: str, managed_tag: str, local: set[str]) -> list[tuple[str, str]]:
        """(uid, title) of managed dashboards in the folder that the code no longer defines."""
        return [
            (h["uid"], h.get("title", h["uid"]))
            for h in self.client.search(folder_uid=folder_uid)
            if h.get("uid") not in local and managed_tag in (h.get("tags") or [])
        ]

    def save(self, item, folder_uid: str, message: str, dry_run: bool = False) -> None:
        body = dict(item.local)
        if item.live_version is not None and not item.overwrite:
            body["version"] = item.live_version  # optimistic lock: 412 if saved since we looked
        self.client.upsert_dashboard(body, folder_uid, message, overwrite=item.overwrite)

    def current(self, uid: str) -> dict | None:
        found = self.client.get_dashboard(uid)
        return found["dashboard"] if found else None  # compared with push.same, which normalises

    def delete(self, uid: str) -> None:
        try:
            self.client.delete_dashboard(uid)
        except GrafanaAPIError as exc:
            if exc.status != 404:  # already gone (a retried DELETE may have landed)
                raise
