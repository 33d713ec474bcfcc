"""Grafana 12+'s dashboard resource API: ``/apis/dashboard.grafana.app/<version>/namespaces/<ns>/dashboards``.

What it gives push over ``/api`` (pkg/apimachinery/utils/meta.go, the annotation keys):
  * ``metadata.resourceVersion``: a PUT carrying it is an atomic compare-and-swap (409 Conflict);
  * the save message and author on the object itself (``grafana.app/message``, ``grafana.app/updatedBy``),
    so one LIST of the namespace answers what ``/api`` needs a GET and a version read per dashboard for;
  * ``?dryRun=All``: Grafana validates a write without storing it;
  * manager annotations (``grafana.app/managedBy``/``managerId``/``managerAllowsEdits``), which Grafana's
    UI shows to editors as "managed by" (manager kinds in pkg/apimachinery/utils/manager.go).

The version is discovered from ``/apis`` (never hard-coded). The dashboard body form is pluggable
per version (``FORMS``): the classic JSON model is the ``spec`` of v0alpha1/v1alpha1/v1beta1/v1
resources; schema v2 (v2alpha1/v2beta1/v2) is left for its own form (issue 15).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from .client import GrafanaAPIError, GrafanaClient
from .legacy import Live

GROUP = "dashboard.grafana.app"
ANNO_FOLDER = "grafana.app/folder"
ANNO_MESSAGE = "grafana.app/message"
ANNO_UPDATED_BY = "grafana.app/updatedBy"
ANNO_MANAGED_BY = "grafana.app/managedBy"
ANNO_MANAGER_ID = "grafana.app/managerId"
ANNO_MANAGER_EDITS = "grafana.app/managerAllowsEdits"
# ManagerKindKubectl is the generic "an API client owns this" kind (grafanactl uses it too);
# "repo" is refused to anyone but the provisioning service (apistore checkManagerPropertiesOnCreate).
MANAGER_KIND, MANAGER_ID = "kubectl", "azora-dash"
# File-provisioned dashboards (ManagerKindClassicFP; earlier releases used a "file:" identity prefix).
FILE_PROVISIONED = "classic-file-provisioning"
LIST_PAGE = 500
# Grafana's volatile spec fields: /api's id and version are metadata (name, generation) here.
_VOLATILE = ("id", "version", "uid")


@dataclass(frozen=True)
class Form:
    """How a classic dashboard maps to and from one API version's object."""

    to_spec: Callable[[dict], dict]
    from_spec: Callable[[str, dict], dict]


def _classic_to_spec(dashboard: dict) -> dict:
    return {k: v for k, v in dashboard.items() if k not in _VOLATILE}


def _classic_from_spec(name: str, spec: dict) -> dict:
    return {**{k: v for k, v in spec.items() if k not in _VOLATILE}, "uid": name}


CLASSIC = Form(_classic_to_spec, _classic_from_spec)
# Preference order. v0alpha1 first: /api itself runs on it so that no schema migration rewrites a
# dashboard (grafana/grafana PR #104213); v1* run migrations to the latest schemaVersion on write
# (pkg/registry/apis/dashboard/mutate.go), which would make an older schemaVersion differ forever.
FORMS: dict[str, Form] = {"v0alpha1": CLASSIC, "v1": CLASSIC, "v1beta1": CLASSIC, "v1alpha1": CLASSIC}


def namespace(org_id: int) -> str:
    """pkg/apimachinery/apis/common/... OrgNamespaceFormatter: org 1 is "default", others "org-<id>"."""
    return "default" if org_id == 1 else f"org-{org_id}"


@dataclass
class Resource:
    """One live dashboard as the resource API returns it, in the classic model."""

    uid: str
    dashboard: dict | None  # None when Grafana could not convert it to our version (e.g. stored as v2)
    folder: str
    resource_version: str
    annotations: dict
    stored_version: str = ""

    @property
    def message(self) -> str:
        return self.annotations.get(ANNO_MESSAGE, "")

    @property
    def provisioned(self) -> bool:
        kind, ident = self.annotations.get(ANNO_MANAGED_BY, ""), self.annotations.get(ANNO_MANAGER_ID, "")
        return kind == FILE_PROVISIONED or ident.startswith("file:")


class ResourceAPI:
    def __init__(self, client: GrafanaClient, version: str, org_id: int):
        self.client, self.version, self.form = client, version, FORMS[version]
        self.base = f"/apis/{GROUP}/{version}/namespaces/{namespace(org_id)}/dashboards"

    @classmethod
    def discover(cls, client: GrafanaClient) -> ResourceAPI | None:
        """The resource API in the best classic form this Grafana offers, or None (10.x/11.x)."""
        offered = client.api_versions(GROUP)
        for version in FORMS:
            if version in offered:
                return cls(client, version, client.current_org())
        return None

    def list(self) -> dict[str, Resource]:
        """Every dashboard of the namespace, following ``continue`` tokens."""
        found: dict[str, Resource] = {}
        token = ""
        while True:
            params = {"limit": LIST_PAGE, **({"continue": token} if token else {})}
            page = self.client.request("GET", self.base, params=params)
            for obj in page.get("items") or []:
                res = self._resource(obj)
                found[res.uid] = res
            token = (page.get("metadata") or {}).get("continue") or ""
            if not token:
                return found

    def get(self, uid: str) -> Resource | None:
        try:
            return self._resource(self.client.request("GET", f"{self.base}/{quote(uid, safe='')}"))
        except GrafanaAPIError as exc:
            if exc.status == 404:
                return None
            raise

    def save(
        self, dashboard: dict, folder_uid: str, message: str, resource_version: str | None, dry_run: bool = False
    ) -> dict:
        """Create (``resource_version`` None) or update; "" updates unconditionally (--force)."""
        uid = dashboard["uid"]
        metadata = {
            "name": uid,
            "annotations": {
                ANNO_FOLDER: folder_uid,
                ANNO_MESSAGE: message,
                ANNO_MANAGED_BY: MANAGER_KIND,
                ANNO_MANAGER_ID: MANAGER_ID,
                ANNO_MANAGER_EDITS: "true",  # people may still edit; push then reports the edit
            },
        }
        if resource_version:
            metadata["resourceVersion"] = resource_version
        body = {"apiVersion": f"{GROUP}/{self.version}", "kind": "Dashboard", "metadata": metadata}
        body["spec"] = self.form.to_spec(dashboard)
        params = {"dryRun": "All"} if dry_run else None
        if resource_version is None:
            return self.client.request("POST", self.base, json=body, params=params)
        return self.client.request("PUT", f"{self.base}/{quote(uid, safe='')}", json=body, params=params)

    def delete(self, uid: str) -> None:
        try:
            self.client.request("DELETE", f"{self.base}/{quote(uid, safe='')}")
        except GrafanaAPIError as exc:
            if exc.status != 404:  # already gone (a retried DELETE may have landed)
                raise

    def _resource(self, obj: dict) -> Resource:
        meta = obj.get("metadata") or {}
        uid = str(meta.get("name") or "")
        annotations = meta.get("annotations") or {}
        # DashboardStatus.Conversion (apps/dashboard/pkg/apis/dashboard/v1beta1/dashboard_status_gen.go):
        # failed means "the caller should instead fetch the stored version".
        conversion = (obj.get("status") or {}).get("conversion") or {}
        spec = obj.get("spec")
        dashboard = None if conversion.get("failed") or not isinstance(spec, dict) else self.form.from_spec(uid, spec)
        return Resource(
            uid,
            dashboard,
            annotations.get(ANNO_FOLDER, ""),
            str(meta.get("resourceVersion") or ""),
            annotations,
            str(conversion.get("storedVersion") or ""),
        )


class ResourcePath:
    """Push over the resource API: one LIST plans every dashboard; writes compare-and-swap."""

    validates = True  # ?dryRun=All

    def __init__(self, api: ResourceAPI):
        self.api = api
        self.name = api.base.split("/namespaces/")[0]
        self.found: dict[str, Resource] = {}

    def prepare(self) -> None:
        self.found = self.api.list()

    def live(self, uid: str) -> Live | None:
        res = self.found.get(uid)
        if res is None:
            return None
        note = f"is stored as {res.stored_version or 'another schema'} in Grafana" if res.dashboard is None else ""
        who = res.annotations.get(ANNO_UPDATED_BY) or "someone"
        return Live(res.dashboard, res.folder, res.resource_version, lambda: (res.message, who), res.provisioned, note)

    def in_folder(self, folder_uid: str, managed_tag: str, local: set[str]) -> list[tuple[str, str]]:
        return [
            (uid, (res.dashboard or {}).get("title", uid))
            for uid, res in sorted(self.found.items())
            if uid not in local
            and res.folder == folder_uid
            and managed_tag in ((res.dashboard or {}).get("tags") or [])
        ]

    def save(self, item, folder_uid: str, message: str, dry_run: bool = False) -> None:
        # --force: "" = an unconditional update (no resourceVersion), None = create.
        version = None if item.live_version is None else ("" if item.overwrite else item.live_version)
        self.api.save(item.local, folder_uid, message, version, dry_run)

    def current(self, uid: str) -> dict | None:
        res = self.api.get(uid)
        return res.dashboard if res else None

    def delete(self, uid: str) -> None:
        self.api.delete(uid)
