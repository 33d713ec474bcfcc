"""Grafana 12+'s dashboard resource API: ``/apis/dashboard.grafana.app/<version>/namespaces/<ns>/dashboards``.

What it gives push over ``/api`` (pkg/apimachinery/utils/meta.go, the annotation keys):
  * ``metadata.resourceVersion``: a PUT carrying it is an atomic compare-and-swap (409 Conflict);
  * the save message and author on the object itself (``grafana.app/message``, ``grafana.app/updatedBy``),
    so one LIST of the namespace answers what ``/api`` needs a GET and a version read per dashboard for;
  * ``?dryRun=All``: Grafana validates a write without storing it;
  * manager annotations (``grafana.app/managedBy``/``managerId``/``managerAllowsEdits``), which Grafana's
    UI shows to editors as "managed by" (manager kinds in pkg/apimachinery/utils/manager.go).

The version is discovered from ``/apis`` (never hard-coded). The dashboard body form is pluggable
per version: the classic JSON model is the ``spec`` of v0alpha1/v1alpha1/v1beta1/v1 resources
(``FORMS``); schema v2 (``V2_FORMS``: v2 on 13.x, v2beta1 on 12.2+) is converted by the one
``dashboard_v2`` conversion. Every dashboard is listed through the classic version; one that
Grafana stores as v2 (``status.conversion.storedVersion``, which apps/dashboard/pkg/migration/
conversion/conversion.go setConversionStatus sets on every converted read, failed or not) is
then read from its v2 endpoint, because Grafana's v2->v1 conversion (Convert_V2beta1_to_V1beta1)
is not the inverse of ours and would make it differ from the code for ever.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from ..dashboard_v2 import classic_from_spec, sections_v2, spec_v2
from ..errors import InputError
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
    schema: str = "v1"


def _classic_to_spec(dashboard: dict) -> dict:
    return {k: v for k, v in dashboard.items() if k not in _VOLATILE}


def _classic_from_spec(name: str, spec: dict) -> dict:
    return {**{k: v for k, v in spec.items() if k not in _VOLATILE}, "uid": name}


CLASSIC = Form(_classic_to_spec, _classic_from_spec)
# Preference order. v0alpha1 first: /api itself runs on it so that no schema migration rewrites a
# dashboard (grafana/grafana PR #104213); v1* run migrations to the latest schemaVersion on write
# (pkg/registry/apis/dashboard/mutate.go), which would make an older schemaVersion differ forever.
FORMS: dict[str, Form] = {"v0alpha1": CLASSIC, "v1": CLASSIC, "v1beta1": CLASSIC, "v1alpha1": CLASSIC}


# In memory only, never written: the v2-only layout marks of a dashboard (which rows are tabs, when
# a row or tab shows; dashboard_v2.sections_v2, build.compile.take_marks), which its classic
# model cannot hold. Carried on the dashboard so that comparing and hashing see them.
V2_SECTIONS = "__azoraV2Sections"


def with_sections(dashboard: dict, sections: dict | None) -> dict:
    return {**dashboard, V2_SECTIONS: sections} if sections else dashboard


def split_sections(dashboard: dict) -> tuple[dict, dict]:
    """(the classic dashboard, its v2 marks by row id)."""
    marks = dashboard.get(V2_SECTIONS) or {}
    return {k: v for k, v in dashboard.items() if k != V2_SECTIONS}, {int(k): v for k, v in marks.items()}


def _v2_to_spec(dashboard: dict) -> dict:
    return spec_v2(*split_sections(_classic_to_spec(dashboard)))


def _v2_from_spec(name: str, spec: dict) -> dict:
    where = f"Grafana dashboard {name!r} (schema v2)"
    return with_sections(classic_from_spec(spec, name, where), sections_v2({"spec": spec}, where))


# v2 (13.x) and v2beta1 (12.2+) have the same shape for every field the conversion writes
# (apps/dashboard/pkg/migration/conversion/v2beta1_to_v2.go copies them); v2alpha1 does not.
V2 = Form(_v2_to_spec, _v2_from_spec, "v2")
V2_FORMS: dict[str, Form] = {"v2": V2, "v2beta1": V2}


def is_v2(version: str) -> bool:
    """Whether an API version (``storedVersion``) is a schema v2 one."""
    return version.startswith("v2")


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
    problem: str = ""  # why ``dashboard`` is None although Grafana sent a spec

    @property
    def schema(self) -> str:
        return "v2" if is_v2(self.stored_version) else "v1"

    @property
    def message(self) -> str:
        return self.annotations.get(ANNO_MESSAGE, "")

    @property
    def provisioned(self) -> bool:
        kind, ident = self.annotations.get(ANNO_MANAGED_BY, ""), self.annotations.get(ANNO_MANAGER_ID, "")
        return kind == FILE_PROVISIONED or ident.startswith("file:")


class ResourceAPI:
    def __init__(self, client: GrafanaClient, version: str, org_id: int):
        self.client, self.version, self.form = client, version, {**FORMS, **V2_FORMS}[version]
        self.base = f"/apis/{GROUP}/{version}/namespaces/{namespace(org_id)}/dashboards"

    @classmethod
    def discover(cls, client: GrafanaClient, forms: dict[str, Form] = FORMS) -> ResourceAPI | None:
        """The resource API in the best of ``forms`` this Grafana offers, or None (10.x/11.x; no v2)."""
        return cls.discover_each(client, forms)[0]

    @classmethod
    def discover_each(cls, client: GrafanaClient, *choices: dict[str, Form]) -> list[ResourceAPI | None]:
        """For each of ``choices`` the best version offered (or None), from one /apis and one org read."""
        offered = client.api_versions(GROUP)
        versions = [next((v for v in forms if v in offered), None) for forms in choices]
        org = client.current_org() if any(versions) else 1
        return [cls(client, v, org) if v else None for v in versions]

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
        _check_kind(obj, f"{GROUP}/{self.version}", self.client.shown + self.base)
        meta = obj.get("metadata") or {}
        uid = str(meta.get("name") or "")
        annotations = meta.get("annotations") or {}
        # DashboardStatus.Conversion (apps/dashboard/pkg/apis/dashboard/v1beta1/dashboard_status_gen.go):
        # failed means "the caller should instead fetch the stored version".
        conversion = (obj.get("status") or {}).get("conversion") or {}
        spec, problem = obj.get("spec"), ""
        dashboard = None
        if not conversion.get("failed") and isinstance(spec, dict):
            try:
                dashboard = self.form.from_spec(uid, spec)
            except InputError as exc:  # a v2 layout or element kind the conversion does not read
                problem = str(exc)
        return Resource(
            uid,
            dashboard,
            annotations.get(ANNO_FOLDER, ""),
            str(meta.get("resourceVersion") or ""),
            annotations,
            # No conversion status: nothing was converted, so it is stored in the version asked for.
            str(conversion.get("storedVersion") or self.version),
            problem,
        )


def _check_kind(obj, api_version: str, where: str) -> None:
    """A Dashboard of the version asked for, or one line naming what came instead (never a guess)."""
    if not isinstance(obj, dict):
        raise GrafanaAPIError(200, f"{where}: expected a Dashboard object, got {type(obj).__name__}")
    got_version, got_kind = obj.get("apiVersion", api_version), obj.get("kind", "Dashboard")
    if got_version != api_version or got_kind != "Dashboard":
        name = (obj.get("metadata") or {}).get("name") or "?"
        raise GrafanaAPIError(
            200, f"{where}: {name!r} is a {got_kind} of {got_version}, not a Dashboard of {api_version}; not read"
        )


class ResourcePath:
    """Push over the resource API: one LIST plans every dashboard; writes compare-and-swap.

    ``v2`` is the schema v2 API when Grafana offers one: items to be written as v2
    (``item.schema``) are written there. The LIST goes to the API of the schema being pushed
    (``list_v2``); a dashboard stored in the other schema is then read in the schema it is
    stored in (one GET each), so a steady state costs one LIST in either schema.
    """

    validates = True  # ?dryRun=All

    def __init__(self, api: ResourceAPI, v2: ResourceAPI | None = None, list_v2: bool = False):
        self.api, self.v2 = api, v2
        self.listing = v2 if (list_v2 and v2) else api
        self.name = api.base.split("/namespaces/")[0]
        self.schemas = ("v1", "v2") if v2 else ("v1",)
        self.found: dict[str, Resource] = {}

    def prepare(self) -> None:
        self.found = {uid: self._stored(res) for uid, res in self.listing.list().items()}

    def _stored(self, res: Resource) -> Resource:
        """``res`` as the API of the schema it is stored in returns it."""
        native = self.v2 if res.schema == "v2" else self.api
        if native is None or native is self.listing:
            return res
        return native.get(res.uid) or res

    def live(self, uid: str) -> Live | None:
        res = self.found.get(uid)
        if res is None:
            return None
        note = ""
        if res.dashboard is None:
            note = res.problem or f"is stored as {res.stored_version or 'another schema'} in Grafana"
        who = res.annotations.get(ANNO_UPDATED_BY) or "someone"
        return Live(
            res.dashboard,
            res.folder,
            res.resource_version,
            lambda: (res.message, who),
            res.provisioned,
            note,
            res.schema,
        )

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
        api = self.v2 if item.schema == "v2" else self.api
        api.save(item.local, folder_uid, message, version, dry_run)

    def current(self, uid: str) -> dict | None:
        res = self.listing.get(uid)
        return self._stored(res).dashboard if res else None

    def delete(self, uid: str) -> None:
        self.api.delete(uid)
