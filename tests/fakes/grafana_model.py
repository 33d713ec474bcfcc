"""Grafana's dashboard/folder behaviour, in memory, for the stand-in server (tests/fakes/grafana_stub.py).

Every behaviour cites where it comes from in grafana/grafana:
  [dash.go]    pkg/api/dashboard.go (GetDashboard, PostDashboard, deleteDashboard, GetDashboardVersion(s))
  [store.go]   pkg/services/dashboards/database/database.go (getExistingDashboardByIDOrUIDForUpdate,
               getExistingDashboardByTitleAndFolder, saveDashboard)
  [errors.go]  pkg/services/dashboards/errors.go + dashboardaccess DashboardErr.Body()
  [apierr]     pkg/api/apierrors/{dashboard,folder}.go
  [docs]       docs/sources/developers/http_api/{dashboard,folder,folder_dashboard_search,dashboard_versions}.md
  [folder.go]  pkg/api/folder.go (GetFolders: parentUid -> GetChildren with nested folders, else all)
  [svc12]      pkg/services/dashboards/service/dashboard_service.go (12.x: LegacySaveCommandToUnstructured,
               BuildSaveDashboardCommand, ValidateDashboardBeforeSave)
  [conv]       apps/dashboard/pkg/migration/conversion/ (conversion.go RegisterConversions, v2beta1_to_v1beta1,
               v1beta1_to_v2alpha1): played by azora_dash.dashboard_v2, which follows it for our fields
Each method returns (HTTP status, JSON body) exactly as Grafana would answer.

``version=`` picks the behaviour of one Grafana release ("10.4", "11.2", "12.2", "13.0"); see
``Behaviour``. The resource API of 12+ is in tests/fakes/grafana_resources.py, on the same rows.
"""

from __future__ import annotations

import json
import re
import threading
import time

from azora_dash.dashboard_v2 import classic_from_spec
from azora_dash.errors import InputError

# [errors.go] DashboardErr bodies are {"status", "message"} when Status is set.
VERSION_MISMATCH = {"status": "version-mismatch", "message": "The dashboard has been changed by someone else"}
NAME_EXISTS = {"status": "name-exists", "message": "A dashboard with the same name in the folder already exists"}


PROVISIONED = {"message": "Cannot save provisioned dashboard"}  # [errors.go] ErrDashboardCannotSaveProvisionedDashboard


class Behaviour:
    """What differs between the Grafana releases the stand-in plays, each with its source."""

    def __init__(self, version: str):
        major, minor = (int(x) for x in version.split(".")[:2])
        self.version = version
        # [svc12] LegacySaveCommandToUnstructured json.Unmarshal()s the body into map[string]interface{}:
        # every number becomes a float64 and Go re-encodes 1.0 as 1. 10.x/11.x keep literals
        # (pkg/components/simplejson decodes with UseNumber()).
        self.go_numbers = major >= 12
        # [store.go] getExistingDashboardByTitleAndFolder; removed in 11.3 (grafana/grafana PR #90687).
        self.unique_titles = (major, minor) < (11, 3)
        # [apierr] folder.go: 10.x answers a taken folder uid with 412 version-mismatch (issue #50767);
        # 11.x ErrFolderWithSameUIDExists -> 409; 12+ k8s AlreadyExists -> 412.
        self.folder_exists_status = 409 if major == 11 else 412
        # [dash.go] 12.x GetDashboardVersions returns DashboardVersionResponseMeta {continueToken, versions}.
        self.wrapped_versions = major >= 12
        # [dash.go] 12.x GetDashboard: 406 for a dashboard stored in schema v2.
        self.v2_not_acceptable = major >= 12
        # Resource API versions served (/apis discovery), in Grafana's priority order: 12.x
        # pkg/registry/apis/dashboard/register.go GetGroupVersions (v1beta1, v0alpha1, v2beta1, v2alpha1);
        # 13 adds v1 and v2 (register_test.go TestDashboardAPIBuilder_GetGroupVersions "should return v1
        # by default": v1, v1beta1, v0alpha1, v2, v2beta1, v2alpha1). None before 12.
        self.resource_versions = (
            ["v1beta1", "v0alpha1", "v2beta1", "v2alpha1"]
            if major == 12
            else ["v1", "v1beta1", "v0alpha1", "v2", "v2beta1", "v2alpha1"]
            if major >= 13
            else []
        )
        # Nested folders: GA and on by default from 11.0 (grafana/grafana PR #84631 "NestedFolders: Enable
        # nested folders by default"); 10.x needs the nestedFolders toggle, which the stand-in leaves off.
        self.nested_folders = major >= 11
        # The v2 version a dashboard saved with dynamic dashboards is stored in (12.2's UI writes
        # v2beta1; 13 makes v2 current).
        self.v2_version = "v2beta1" if major == 12 else "v2" if major >= 13 else None


def go_roundtrip(value):
    """What Go's encoding/json does to a JSON value decoded into interface{}: whole floats lose ``.0``."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        f = float(value)
        return int(f) if f.is_integer() and abs(f) < 1e21 else f
    if isinstance(value, dict):
        return {k: go_roundtrip(v) for k, v in value.items()}
    return [go_roundtrip(v) for v in value]


def slugify(title: str) -> str:
    # Grafana's slugify (pkg/infra/slugify): lower-case, runs of other characters -> "-".
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


class GrafanaModel:
    def __init__(self, version: str = "11.2"):
        self.behaviour = Behaviour(version)
        self.resource_version = 1000  # a global counter, as etcd/unified storage keep
        self.lock = threading.RLock()
        self.folders: dict[str, dict] = {}
        self.dashboards: dict[str, dict] = {}  # uid -> {"id", "folder_uid", "data", "versions": [...]}
        self.names: dict[tuple[str, str], str] = {}  # (folder uid, title slug) -> uid, for name-exists
        self.next_id = 1

    def add_folder(self, uid: str, title: str, parent_uid: str = "") -> dict:
        with self.lock:
            folder = {
                "id": self._new_id(),
                "uid": uid,
                "title": title,
                "url": f"/dashboards/f/{uid}/{slugify(title)}",
                "hasAcl": False,
                "canSave": True,
                "canEdit": True,
                "canAdmin": True,
                "version": 1,
            }
            if self.behaviour.nested_folders:
                folder["parentUid"] = parent_uid  # [apierr] dtos.Folder.ParentUID (nested folders only)
            self.folders[uid] = folder
            return folder

    def human_save(self, uid: str, change, message: str = "", user: str = "alice") -> int:
        """What a person saving in the UI does: a full save of the current version plus ``change``."""
        with self.lock:
            row = self.dashboards[uid]
            data = json.loads(json.dumps(row["data"]))
            change(data)
            status, body = self.save({"dashboard": data, "folderUid": row["folder_uid"], "message": message}, user)
            assert status == 200, body
            return body["version"]

    def provision(self, dash: dict, folder_uid: str) -> None:
        """A dashboard loaded by Grafana's file provisioner (pkg/services/provisioning/dashboards)."""
        with self.lock:
            if folder_uid not in self.folders:
                self.add_folder(folder_uid, folder_uid.title())
            data = go_roundtrip(dash) if self.behaviour.go_numbers else dict(dash)
            self._store(data, None, 0, folder_uid, "", "provisioner", provisioned=True)

    def store_v2(self, uid: str, title: str, folder_uid: str, layout: str = "GridLayout") -> None:
        """A dashboard saved with dynamic dashboards (schema v2), e.g. with an ``AutoGridLayout``."""
        spec = {"title": title, "elements": {}, "layout": {"kind": layout, "spec": {"items": []}}}
        with self.lock:
            self.store_spec_v2(uid, spec, None, folder_uid, "", "carol", self.behaviour.v2_version)

    def human_save_v2(self, uid: str, change, message: str = "", user: str = "alice") -> None:
        """A person saving a v2 dashboard in the UI: the whole v2 spec, changed, back to its endpoint."""
        with self.lock:
            row = self.dashboards[uid]
            spec = json.loads(json.dumps(row["spec2"]))
            change(spec)
            self.store_spec_v2(uid, spec, row, row["folder_uid"], message, user, row["stored"])

    def store_spec_v2(self, uid: str, spec: dict, existing, folder_uid: str, message: str, user: str, version: str):
        """Store a v2 spec as written; ``data`` is its classic form for /api search and the v1 endpoint
        ([conv] Convert_V2beta1_to_V1beta1, here dashboard_v2's reader). Raises InputError if unreadable."""
        spec = go_roundtrip(spec)
        try:
            data, convertible = classic_from_spec(spec, uid, f"stand-in {uid}"), True
        except InputError:
            data, convertible = {"title": spec.get("title", uid), "tags": list(spec.get("tags") or [])}, False
        data["uid"] = uid
        parent = existing["data"]["version"] if existing else 0
        row = {"stored": version, "spec2": spec, "convertible": convertible}
        return self._store(data, existing, parent, folder_uid, message, user, **row)

    # -- Grafana behaviour -----------------------------------------------------------
    def _new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def save(self, body: dict, user: str) -> tuple[int, dict]:
        """POST /api/dashboards/db. [dash.go] postDashboard -> [store.go] validate + saveDashboard."""
        dash = body.get("dashboard")
        if not isinstance(dash, dict):
            return 400, {"message": "bad request data"}  # [dash.go] web.Bind failure
        dash = go_roundtrip(dash) if self.behaviour.go_numbers else dict(dash)
        folder_uid = body.get("folderUid") or ""
        overwrite = bool(body.get("overwrite"))
        if not str(dash.get("title") or "").strip():
            return 400, {"status": "empty-name", "message": "Dashboard title cannot be empty"}  # [errors.go]
        if folder_uid and folder_uid not in self.folders:
            return 400, {"message": "folder not found"}  # [apierr] dashboard.go: ErrFolderNotFound -> 400
        with self.lock:
            existing = self.dashboards.get(dash.get("uid") or "")
            if existing is not None and existing.get("provisioned"):
                return 400, PROVISIONED  # [svc12] BuildSaveDashboardCommand; 10/11 [store.go] the same check
            version = dash.get("version") or 0
            if existing is not None and version != existing["data"]["version"]:
                # [store.go] "check for is someone else has written in between"
                if not overwrite:
                    return 412, VERSION_MISMATCH
                version = existing["data"]["version"]
            same_name = self.names.get((folder_uid, slugify(dash["title"]))) if self.behaviour.unique_titles else None
            if same_name is not None and existing is not None and same_name == existing["data"]["uid"]:
                same_name = None
            if same_name is not None:
                # [store.go] getExistingDashboardByTitleAndFolder: overwrite takes over the other dashboard.
                if not overwrite:
                    return 412, NAME_EXISTS
                existing = self.dashboards.pop(same_name)
                dash["uid"], version = same_name, existing["data"]["version"]
            return 200, self._store(dash, existing, version, folder_uid, body.get("message") or "", user)

    def _store(
        self, dash: dict, existing: dict | None, parent: int, folder_uid: str, message: str, user: str, **row
    ) -> dict:
        uid = dash.get("uid") or f"gen{self.next_id:06d}"  # [store.go] util.GenerateShortUID() when empty
        row_id = existing["id"] if existing else self._new_id()
        new_version = parent + 1 if existing else 1  # [store.go] SetVersion(1) on insert, +1 on update
        dash.update({"id": row_id, "uid": uid, "version": new_version})
        versions = existing["versions"] if existing else []
        # [store.go] every save inserts a dashboard_version row with the commit message.
        versions.append(
            {
                "id": len(versions) + 1,
                "dashboardId": row_id,
                "uid": uid,
                "parentVersion": parent if existing else 0,
                "restoredFrom": 0,
                "version": new_version,
                "created": time.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "createdBy": user,
                "message": message,
                "data": dash,
            }
        )
        if existing:
            self.names.pop((existing["folder_uid"], slugify(existing["data"]["title"])), None)
        self.resource_version += 1
        keep = {k: existing[k] for k in ("annotations",) if existing and k in existing}
        self.dashboards[uid] = {
            "id": row_id,
            "folder_uid": folder_uid,
            "data": dash,
            "versions": versions,
            "rv": self.resource_version,
            "updated_by": user,
            **keep,
            **row,
        }
        self.names[(folder_uid, slugify(dash["title"]))] = uid
        slug = slugify(dash["title"])
        return {
            "status": "success",
            "slug": slug,
            "version": new_version,
            "id": row_id,
            "uid": uid,
            "url": f"/d/{uid}/{slug}",
            "folderUid": folder_uid,
        }

    def get_dashboard(self, uid: str) -> tuple[int, object]:
        with self.lock:
            row = self.dashboards.get(uid)
            if row is None:
                return 404, {"message": "Dashboard not found"}  # [dash.go] getDashboardHelper
            if row.get("stored") and self.behaviour.v2_not_acceptable:
                return 406, {
                    "message": "dashboard api version not supported, use "
                    f"/apis/dashboard.grafana.app/{row['stored']}/namespaces/default/dashboards/{uid} instead"
                }
            folder = self.folders.get(row["folder_uid"])
            slug = slugify(row["data"]["title"])
            # [docs] dashboard.md "Get dashboard by uid"; [dash.go] sets dashboard.version from the row.
            meta = {
                "type": "db",
                "slug": slug,
                "url": f"/d/{uid}/{slug}",
                "version": row["data"]["version"],
                "canSave": True,
                "canEdit": True,
                "canAdmin": True,
                "canDelete": True,
                "provisioned": bool(row.get("provisioned")),
                "folderId": folder["id"] if folder else 0,
                "folderUid": row["folder_uid"],
                "folderTitle": folder["title"] if folder else "General",
                "folderUrl": folder["url"] if folder else "",
            }
            # Stored dicts are replaced on save, never mutated, so no copy is needed.
            return 200, {"dashboard": row["data"], "meta": meta}

    def versions(self, uid: str, number: str | None, query: dict) -> tuple[int, object]:
        with self.lock:
            row = self.dashboards.get(uid)
            if row is None:
                return 404, {"message": "Dashboard not found"}
            if number is None:
                # [dash.go] GetDashboardVersions: newest first; rewrites the first save's message.
                out = [
                    dict(v, message="Initial save" if v["parentVersion"] == 0 else v["message"])
                    for v in reversed(row["versions"])
                ]
                out = [{k: v for k, v in entry.items() if k != "data"} for entry in out]
                limit = int(query.get("limit", ["0"])[0] or 0)
                out = out[:limit] if limit else out
                return 200, {"continueToken": "", "versions": out} if self.behaviour.wrapped_versions else out
            found = next((v for v in row["versions"] if str(v["version"]) == number), None)
            if found is None:  # [dash.go] GetDashboardVersion answers 500 for an unknown version
                return 500, {"message": f"Dashboard version {number} not found for dashboardId {row['id']}"}
            return 200, found  # [dash.go] message returned verbatim

    def delete(self, uid: str) -> tuple[int, dict]:
        with self.lock:
            row = self.dashboards.pop(uid, None)
            if row is None:
                return 404, {"message": "Dashboard not found"}
            self.names.pop((row["folder_uid"], slugify(row["data"]["title"])), None)
            title = row["data"]["title"]
            return 200, {"title": title, "message": f"Dashboard {title} deleted", "uid": uid}  # [dash.go]

    def search(self, query: dict) -> tuple[int, list]:
        """GET /api/search ([docs] folder_dashboard_search.md): hits sorted by title, paged."""
        folders = set(",".join(query.get("folderUIDs", [])).split(",")) - {""}
        tags = query.get("tag", [])
        limit = min(int(query.get("limit", ["1000"])[0]), 5000)
        page = int(query.get("page", ["1"])[0])
        with self.lock:
            hits = [
                self._hit(uid, row)
                for uid, row in self.dashboards.items()
                if (not folders or row["folder_uid"] in folders) and all(t in row["data"].get("tags", []) for t in tags)
            ]
        hits.sort(key=lambda h: (h["title"].lower(), h["uid"]))
        return 200, hits[(page - 1) * limit : page * limit]

    def _hit(self, uid: str, row: dict) -> dict:
        folder = self.folders.get(row["folder_uid"], {})
        slug = slugify(row["data"]["title"])
        return {
            "id": row["id"],
            "uid": uid,
            "title": row["data"]["title"],
            "uri": f"db/{slug}",
            "url": f"/d/{uid}/{slug}",
            "type": "dash-db",
            "tags": list(row["data"].get("tags", [])),
            "isStarred": False,
            "folderId": folder.get("id", 0),
            "folderUid": row["folder_uid"],
            "folderTitle": folder.get("title", ""),
            "folderUrl": folder.get("url", ""),
        }

    def get_folder(self, uid: str) -> tuple[int, dict]:
        with self.lock:
            if uid in self.folders:
                return 200, self.folders[uid]
        return 404, {"status": "not-found", "message": "folder not found"}  # [apierr] folder.go ErrFolderNotFound

    def create_folder(self, body: dict) -> tuple[int, dict]:
        title, uid = str(body.get("title") or "").strip(), body.get("uid") or ""
        if not title:
            return 400, {"message": "folder title cannot be empty"}  # [apierr] folder.go -> 400
        with self.lock:
            if uid in self.folders:
                if self.behaviour.folder_exists_status == 412:
                    return 412, {"status": "version-mismatch", "message": "the folder has been changed by someone else"}
                return 409, {"message": "a folder with the same uid already exists"}  # [docs] folder.md
            if self.behaviour.unique_titles and any(f["title"] == title for f in self.folders.values()):
                return 409, {"message": "a folder or dashboard in the general folder with the same name already exists"}
            parent = str(body.get("parentUid") or "") if self.behaviour.nested_folders else ""
            if parent and parent not in self.folders:
                return 404, {"status": "not-found", "message": "folder not found"}  # [apierr] ErrFolderNotFound
            return 200, self.add_folder(uid or f"f{self.next_id:06d}", title, parent)

    def list_folders(self, query: dict) -> tuple[int, list]:
        """GET /api/folders ([folder.go] GetFolders): with nested folders the children of ``parentUid``
        (GetChildren, paged by limit/page), else every folder (searchFolders), with no parentUid."""
        limit = int(query.get("limit", ["1000"])[0] or 1000)
        page = int(query.get("page", ["1"])[0] or 1)
        parent = query.get("parentUid", [""])[0]
        with self.lock:
            folders = sorted(self.folders.values(), key=lambda f: f["title"].lower())
            if self.behaviour.nested_folders:
                hits = [
                    {"id": f["id"], "uid": f["uid"], "title": f["title"], "parentUid": f["parentUid"]}
                    for f in folders
                    if f["parentUid"] == parent
                ]
            else:
                hits = [{"id": f["id"], "uid": f["uid"], "title": f["title"]} for f in folders]
        return 200, hits[(page - 1) * limit : page * limit]
