"""Grafana 12+'s dashboard resource API over the stand-in's rows (mixed into GrafanaModel by GrafanaStub).

Sources in grafana/grafana:
  [meta]     pkg/apimachinery/utils/meta.go (annotation keys grafana.app/folder, message, updatedBy,
             managedBy, managerId, managerAllowsEdits; SetMessage/GetMessage)
  [legacy]   pkg/registry/apis/dashboard/legacy/sql_dashboards.go (scanRow: generation = version,
             message from the version row; buildSaveDashboardCommand -> the /api save path)
  [status]   apps/dashboard/pkg/apis/dashboard/v1beta1/dashboard_status_gen.go (conversion.failed/storedVersion)
  [conv]     apps/dashboard/pkg/migration/conversion/conversion.go: every read in another version than the
             stored one is converted (RegisterConversions: v1beta1<->v2beta1/v2, via v2alpha1) and
             setConversionStatus records storedVersion, failed only when the conversion errs (then the
             spec is the default, EnsureDefaultSpec). The conversion itself is azora_dash.dashboard_v2,
             which follows v1beta1_to_v2alpha1.go / v2alpha1_to_v1beta1.go for the fields we use.
  [k8s]      k8s.io/apiserver registry/generic: 409 Conflict on a stale resourceVersion, 409 AlreadyExists
             on create, an empty resourceVersion on update is unconditional; ?dryRun=All stores nothing
  [ns]       pkg/apimachinery/.../namespace.go OrgNamespaceFormatter: org 1 -> "default", else "org-<id>"
"""

from __future__ import annotations

import re

from azora_dash.dashboard_v2 import spec_v2

from .grafana_model import PROVISIONED, go_roundtrip

GROUP = "dashboard.grafana.app"
PATH = re.compile(rf"/apis/{re.escape(GROUP)}/([^/]+)/namespaces/([^/]+)/dashboards(?:/([^/]+))?")
_VOLATILE = ("id", "version", "uid")


def namespace(org_id: int) -> str:
    return "default" if org_id == 1 else f"org-{org_id}"


def status(code: int, reason: str, message: str) -> dict:
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "status": "Failure",
        "reason": reason,
        "code": code,
        "message": message,
    }


class ResourceAPI:
    """Methods over ``self.dashboards`` rows; the stand-in's lock guards them."""

    def discovery(self) -> tuple[int, dict]:
        versions = self.behaviour.resource_versions
        if not versions:
            return 404, {"message": "Not found"}  # 10.x/11.x: no /apis for dashboards by default
        group = {
            "name": GROUP,
            "versions": [{"groupVersion": f"{GROUP}/{v}", "version": v} for v in versions],
            "preferredVersion": {"groupVersion": f"{GROUP}/{versions[0]}", "version": versions[0]},
        }
        return 200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": [group]}

    def resource(self, method: str, path: str, query: dict, body, org_id: int, user: str) -> tuple[int, object]:
        found = PATH.fullmatch(path)
        if not found or found.group(1) not in self.behaviour.resource_versions:
            return 404, status(404, "NotFound", "the server could not find the requested resource")
        version, ns, name = found.groups()
        if ns != namespace(org_id):
            return 403, status(403, "Forbidden", f"dashboards is forbidden: namespace {ns} is not org {org_id}")
        dry = query.get("dryRun") == ["All"]
        with self.lock:
            if method == "GET":
                return self._list(version, query) if name is None else self._get(version, name)
            if method == "DELETE" and name:
                code, answer = self.delete(name)
                return (200, status(200, "", "deleted")) if code == 200 else (404, status(404, "NotFound", "not found"))
            if method in ("POST", "PUT"):
                return self._write(version, name, body, dry, user, create=method == "POST")
        return 405, status(405, "MethodNotAllowed", "method not allowed")

    def _list(self, version: str, query: dict) -> tuple[int, dict]:
        limit = int(query.get("limit", ["500"])[0])
        start = int(query.get("continue", ["0"])[0] or 0)
        uids = sorted(self.dashboards)
        page = [self._object(version, uid) for uid in uids[start : start + limit]]
        more = str(start + limit) if start + limit < len(uids) else ""
        return 200, {
            "kind": "DashboardList",
            "apiVersion": f"{GROUP}/{version}",
            "metadata": {"continue": more},
            "items": page,
        }

    def _get(self, version: str, name: str) -> tuple[int, dict]:
        if name not in self.dashboards:
            return 404, status(404, "NotFound", f'dashboards.{GROUP} "{name}" not found')
        return 200, self._object(version, name)

    def _object(self, version: str, uid: str) -> dict:
        row = self.dashboards[uid]
        annotations = dict(row.get("annotations") or {})
        annotations.update({"grafana.app/folder": row["folder_uid"], "grafana.app/updatedBy": row["updated_by"]})
        message = row["versions"][-1]["message"]  # [legacy] scanRow: meta.SetMessage(the version's message)
        annotations.pop("grafana.app/message", None)
        if message:
            annotations["grafana.app/message"] = message
        if row.get("provisioned"):
            annotations.update({"grafana.app/managedBy": "classic-file-provisioning", "grafana.app/managerId": "azora"})
        obj = {
            "apiVersion": f"{GROUP}/{version}",
            "kind": "Dashboard",
            "metadata": {
                "name": uid,
                "resourceVersion": str(row["rv"]),
                "generation": row["data"].get("version", 1),  # [legacy] SetGeneration(version)
                "annotations": annotations,
            },
        }
        obj["spec"], conversion = self._spec(row, version)
        if conversion:
            obj["status"] = {"conversion": conversion}
        return obj

    def _spec(self, row: dict, version: str) -> tuple[dict, dict | None]:
        """The spec in ``version`` and, when it had to be converted, [conv] the conversion status."""
        stored = row.get("stored") or "v0alpha1"
        classic = {k: v for k, v in row["data"].items() if k not in _VOLATILE}
        if version.startswith("v2") == stored.startswith("v2"):
            return (row["spec2"] if row.get("stored") else classic), None
        if version.startswith("v2"):
            return spec_v2(classic), {"failed": False, "storedVersion": stored}
        if row.get("convertible", True):
            return classic, {"failed": False, "storedVersion": stored}
        failed = {"failed": True, "storedVersion": stored, "error": "layout kind not supported in v1"}
        return {}, failed

    def _write(self, version: str, name, body, dry: bool, user: str, create: bool) -> tuple[int, object]:
        meta = (body or {}).get("metadata") or {}
        uid = meta.get("name") or name
        spec = (body or {}).get("spec")
        if not uid or not isinstance(spec, dict) or (name and name != uid):
            return 400, status(400, "BadRequest", "metadata.name and spec are required")
        existing = self.dashboards.get(uid)
        if create and existing is not None:
            return 409, status(409, "AlreadyExists", f'dashboards.{GROUP} "{uid}" already exists')
        if not create and existing is None:
            return 404, status(404, "NotFound", f'dashboards.{GROUP} "{uid}" not found')
        wanted = meta.get("resourceVersion") or ""
        if existing is not None and wanted and wanted != str(existing["rv"]):
            message = f'Operation cannot be fulfilled on dashboards.{GROUP} "{uid}": the object has been modified'
            return 409, status(409, "Conflict", message)
        if existing is not None and existing.get("provisioned"):
            return 400, PROVISIONED  # [legacy] buildSaveDashboardCommand -> the /api save's provisioning check
        annotations = dict(meta.get("annotations") or {})
        folder = annotations.get("grafana.app/folder", "")
        if folder and folder not in self.folders:
            return 400, status(400, "BadRequest", f"folder {folder} not found")
        if body.get("kind") != "Dashboard" or body.get("apiVersion") != f"{GROUP}/{version}":
            # k8s apiserver: the body's type must be the endpoint's (a 400 "does not match the expected")
            return 400, status(400, "BadRequest", f"body is a {body.get('kind')} of {body.get('apiVersion')}")
        message = annotations.pop("grafana.app/message", "")
        if version.startswith("v2"):
            return self._write_v2(version, uid, spec, existing, folder, message, user, annotations, dry)
        if dry:
            return 200 if existing else 201, body
        dash = go_roundtrip(dict(spec, uid=uid))
        parent = existing["data"]["version"] if existing else 0
        self._store(dash, existing, parent, folder, message, user, annotations=annotations)
        return (200 if existing else 201), self._object(version, uid)

    def _write_v2(self, version, uid, spec, existing, folder, message, user, annotations, dry) -> tuple[int, object]:
        # A v2 spec is typed: elements and layout are required (foundation-sdk's dashboardv2.jsonschema.json
        # Dashboard.required, generated from the same CUE as apps/dashboard/pkg/apis/dashboard/v2).
        if not isinstance(spec.get("elements"), dict) or not isinstance(spec.get("layout"), dict):
            return 400, status(400, "BadRequest", "spec.elements and spec.layout are required in schema v2")
        if dry:
            return 200 if existing else 201, {"spec": spec}
        self.store_spec_v2(uid, spec, existing, folder, message, user, version)
        if annotations:
            self.dashboards[uid]["annotations"] = annotations
        return (200 if existing else 201), self._object(version, uid)
