"""A stand-in Grafana HTTP API for tests and the benchmark (no Grafana binary exists here).

A threaded stdlib ``http.server`` on 127.0.0.1 that implements the endpoints
azora-dash uses with Grafana's real paths, status codes, JSON bodies and
version counting. Every behaviour cites where it comes from in grafana/grafana:
  [dash.go]    pkg/api/dashboard.go (GetDashboard, PostDashboard, deleteDashboard, GetDashboardVersion(s))
  [store.go]   pkg/services/dashboards/database/database.go (getExistingDashboardByIDOrUIDForUpdate,
               getExistingDashboardByTitleAndFolder, saveDashboard)
  [errors.go]  pkg/services/dashboards/errors.go + dashboardaccess DashboardErr.Body()
  [apierr]     pkg/api/apierrors/{dashboard,folder}.go
  [docs]       docs/sources/developers/http_api/{dashboard,folder,folder_dashboard_search,dashboard_versions}.md
  [authn]      pkg/services/authn/authnimpl/service.go (errCantAuthenticateReq) and
               pkg/services/accesscontrol/middleware.go (deny)
Fault injection (latency, 429 + Retry-After, 5xx, hangs, dropped connections,
HTML bodies) and a request log (to count write calls) are test-only additions.
"""
from __future__ import annotations

import base64
import json
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

WRITE_METHODS = ("POST", "PUT", "DELETE", "PATCH")
# [errors.go] DashboardErr bodies are {"status", "message"} when Status is set.
NOT_FOUND = {"status": "not-found", "message": "Dashboard not found"}
VERSION_MISMATCH = {"status": "version-mismatch", "message": "The dashboard has been changed by someone else"}
NAME_EXISTS = {"status": "name-exists", "message": "A dashboard with the same name in the folder already exists"}
# [authn] errutil.Unauthorized("auth.unauthorized") rendered by errutil's public payload.
UNAUTHORIZED = {"message": "Unauthorized", "messageId": "auth.unauthorized", "statusCode": 401, "traceID": ""}
LOGIN_PAGE = "<!DOCTYPE html><html><head><title>Sign in</title></head><body>Please log in</body></html>"


def slugify(title: str) -> str:
    # Grafana's slugify (pkg/infra/slugify): lower-case, runs of other characters -> "-".
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def access_denied(action: str) -> dict:
    # [authn] accesscontrol deny(): 403 with title/message/accessErrorId.
    return {"accessErrorId": "ACE0123456789", "title": "Access denied",
            "message": f"You'll need additional permissions to perform this action. Permissions needed: {action}"}


@dataclass
class Fault:
    method: str
    path: str  # prefix of the request path
    kind: str  # status | html | hang | drop | drop_after
    times: int = 1
    status: int = 500
    retry_after: str | None = None
    seconds: float = 0.0


class GrafanaStub:
    def __init__(self, token: str = "stub-token", latency: float = 0.0, viewer_token: str | None = None,
                 basic: tuple[str, str] | None = None):
        self.lock = threading.RLock()
        self.credentials = {f"Bearer {token}": "admin"}
        if viewer_token:
            self.credentials[f"Bearer {viewer_token}"] = "viewer"
        if basic:
            raw = base64.b64encode(f"{basic[0]}:{basic[1]}".encode()).decode()
            self.credentials[f"Basic {raw}"] = "admin"
        self.latency = latency
        self.folders: dict[str, dict] = {}
        self.dashboards: dict[str, dict] = {}  # uid -> {"id", "folder_uid", "data", "versions": [...]}
        self.names: dict[tuple[str, str], str] = {}  # (folder uid, title slug) -> uid, for name-exists
        self.next_id = 1
        self.log: list[tuple[str, str, object]] = []
        self.faults: list[Fault] = []
        self.server: ThreadingHTTPServer | None = None

    # -- lifecycle ---------------------------------------------------------------
    def start(self) -> str:
        stub = self

        class Handler(_Handler):
            grafana = stub

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self.url

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    # -- test helpers --------------------------------------------------------------
    def fail(self, method: str, path: str, kind: str = "status", **kwargs) -> None:
        with self.lock:
            self.faults.append(Fault(method, path, kind, **kwargs))

    @property
    def writes(self) -> list[tuple[str, str, object]]:
        return [entry for entry in self.log if entry[0] in WRITE_METHODS]

    def add_folder(self, uid: str, title: str) -> dict:
        with self.lock:
            folder = {"id": self._new_id(), "uid": uid, "title": title, "url": f"/dashboards/f/{uid}/{slugify(title)}",
                      "hasAcl": False, "canSave": True, "canEdit": True, "canAdmin": True, "version": 1}
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

    # -- Grafana behaviour -----------------------------------------------------------
    def _new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def save(self, body: dict, user: str) -> tuple[int, dict]:
        """POST /api/dashboards/db. [dash.go] postDashboard -> [store.go] validate + saveDashboard."""
        dash = body.get("dashboard")
        if not isinstance(dash, dict):
            return 400, {"message": "bad request data"}  # [dash.go] web.Bind failure
        dash = dict(dash)
        folder_uid = body.get("folderUid") or ""
        overwrite = bool(body.get("overwrite"))
        if not str(dash.get("title") or "").strip():
            return 400, {"status": "empty-name", "message": "Dashboard title cannot be empty"}  # [errors.go]
        if folder_uid and folder_uid not in self.folders:
            return 400, {"message": "folder not found"}  # [apierr] dashboard.go: ErrFolderNotFound -> 400
        with self.lock:
            existing = self.dashboards.get(dash.get("uid") or "")
            version = dash.get("version") or 0
            if existing is not None and version != existing["data"]["version"]:
                # [store.go] "check for is someone else has written in between"
                if not overwrite:
                    return 412, VERSION_MISMATCH
                version = existing["data"]["version"]
            same_name = self.names.get((folder_uid, slugify(dash["title"])))
            if same_name is not None and existing is not None and same_name == existing["data"]["uid"]:
                same_name = None
            if same_name is not None:
                # [store.go] getExistingDashboardByTitleAndFolder: overwrite takes over the other dashboard.
                if not overwrite:
                    return 412, NAME_EXISTS
                existing = self.dashboards.pop(same_name)
                dash["uid"], version = same_name, existing["data"]["version"]
            return 200, self._store(dash, existing, version, folder_uid, body.get("message") or "", user)

    def _store(self, dash: dict, existing: dict | None, parent: int, folder_uid: str, message: str, user: str) -> dict:
        uid = dash.get("uid") or f"gen{self.next_id:06d}"  # [store.go] util.GenerateShortUID() when empty
        row_id = existing["id"] if existing else self._new_id()
        new_version = parent + 1 if existing else 1  # [store.go] SetVersion(1) on insert, +1 on update
        dash.update({"id": row_id, "uid": uid, "version": new_version})
        versions = existing["versions"] if existing else []
        # [store.go] every save inserts a dashboard_version row with the commit message.
        versions.append({"id": len(versions) + 1, "dashboardId": row_id, "uid": uid, "parentVersion": parent if existing else 0,
                         "restoredFrom": 0, "version": new_version, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ"),
                         "createdBy": user, "message": message, "data": dash})
        if existing:
            self.names.pop((existing["folder_uid"], slugify(existing["data"]["title"])), None)
        self.dashboards[uid] = {"id": row_id, "folder_uid": folder_uid, "data": dash, "versions": versions}
        self.names[(folder_uid, slugify(dash["title"]))] = uid
        slug = slugify(dash["title"])
        return {"status": "success", "slug": slug, "version": new_version, "id": row_id, "uid": uid,
                "url": f"/d/{uid}/{slug}", "folderUid": folder_uid}

    def get_dashboard(self, uid: str) -> tuple[int, object]:
        with self.lock:
            row = self.dashboards.get(uid)
            if row is None:
                return 404, {"message": "Dashboard not found"}  # [dash.go] getDashboardHelper
            folder = self.folders.get(row["folder_uid"])
            slug = slugify(row["data"]["title"])
            # [docs] dashboard.md "Get dashboard by uid"; [dash.go] sets dashboard.version from the row.
            meta = {"type": "db", "slug": slug, "url": f"/d/{uid}/{slug}", "version": row["data"]["version"],
                    "canSave": True, "canEdit": True, "canAdmin": True, "canDelete": True, "provisioned": False,
                    "folderId": folder["id"] if folder else 0, "folderUid": row["folder_uid"],
                    "folderTitle": folder["title"] if folder else "General", "folderUrl": folder["url"] if folder else ""}
            # Stored dicts are replaced on save, never mutated, so no copy is needed.
            return 200, {"dashboard": row["data"], "meta": meta}

    def versions(self, uid: str, number: str | None, query: dict) -> tuple[int, object]:
        with self.lock:
            row = self.dashboards.get(uid)
            if row is None:
                return 404, {"message": "Dashboard not found"}
            if number is None:
                # [dash.go] GetDashboardVersions: newest first; rewrites the first save's message.
                out = [dict(v, message="Initial save" if v["parentVersion"] == 0 else v["message"])
                       for v in reversed(row["versions"])]
                out = [{k: v for k, v in entry.items() if k != "data"} for entry in out]
                limit = int(query.get("limit", ["0"])[0] or 0)
                return 200, out[:limit] if limit else out
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
            hits = [self._hit(uid, row) for uid, row in self.dashboards.items()
                    if (not folders or row["folder_uid"] in folders)
                    and all(t in row["data"].get("tags", []) for t in tags)]
        hits.sort(key=lambda h: (h["title"].lower(), h["uid"]))
        return 200, hits[(page - 1) * limit: page * limit]

    def _hit(self, uid: str, row: dict) -> dict:
        folder = self.folders.get(row["folder_uid"], {})
        slug = slugify(row["data"]["title"])
        return {"id": row["id"], "uid": uid, "title": row["data"]["title"], "uri": f"db/{slug}", "url": f"/d/{uid}/{slug}",
                "type": "dash-db", "tags": list(row["data"].get("tags", [])), "isStarred": False,
                "folderId": folder.get("id", 0), "folderUid": row["folder_uid"], "folderTitle": folder.get("title", ""),
                "folderUrl": folder.get("url", "")}

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
            if uid in self.folders:  # [docs] folder.md: 409 folder already exists
                return 409, {"message": "a folder with the same uid already exists"}
            if any(f["title"] == title for f in self.folders.values()):
                return 409, {"message": "a folder or dashboard in the general folder with the same name already exists"}
            return 200, self.add_folder(uid or f"f{self.next_id:06d}", title)


@contextmanager
def running(**kwargs):
    """A started stub that is always stopped, even when the test fails."""
    stub = GrafanaStub(**kwargs)
    stub.start()
    try:
        yield stub
    finally:
        stub.stop()


class _Handler(BaseHTTPRequestHandler):
    grafana: GrafanaStub
    protocol_version = "HTTP/1.1"  # keep-alive, as Grafana does; clients reuse pooled connections
    # Headers and body leave in one segment: otherwise Nagle + the client's delayed ACK
    # add ~40 ms to every answer, which would swamp the benchmark's 50 ms latency.
    disable_nagle_algorithm = True
    wbufsize = 64 * 1024

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_DELETE(self):
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        g = self.grafana
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        if g.latency:
            time.sleep(g.latency)
        fault = self._take_fault(method, parts.path)
        if fault is not None and fault.kind != "drop_after":
            return self._inject(method, fault)
        status, body = self._route(method, parts.path, parse_qs(parts.query), raw)
        if fault is not None:  # drop_after: the write happened, the answer is lost
            g.log.append((method, self.path, "dropped"))
            self.close_connection = True
            return
        g.log.append((method, self.path, status))
        self._send(status, body)

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self.grafana.lock:
            for fault in self.grafana.faults:
                if fault.times > 0 and fault.method == method and path.startswith(fault.path):
                    fault.times -= 1
                    return fault
        return None

    def _inject(self, method: str, fault: Fault) -> None:
        self.grafana.log.append((method, self.path, fault.kind if fault.kind != "status" else fault.status))
        if fault.kind == "drop":
            self.close_connection = True  # no status line at all: the client sees a dropped connection
            return
        if fault.kind == "hang":
            time.sleep(fault.seconds)
            self.close_connection = True
            return
        if fault.kind == "html":
            return self._send(fault.status, LOGIN_PAGE, content_type="text/html; charset=utf-8")
        headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
        self._send(fault.status, {"message": "Too Many Requests" if fault.status == 429 else "Internal Server Error"}, headers)

    def _route(self, method: str, path: str, query: dict, raw: bytes) -> tuple[int, object]:
        g = self.grafana
        if path == "/__stub__/counts":  # test-only: lets a separate process read the request log
            return 200, {"requests": len(g.log), "writes": len(g.writes)}
        role = g.credentials.get(self.headers.get("Authorization", ""))
        if role is None:
            return 401, UNAUTHORIZED
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            return 400, {"message": "bad request data"}
        if method in WRITE_METHODS and role != "admin":
            action = "folders:create" if path == "/api/folders" else \
                "dashboards:delete" if method == "DELETE" else "any of dashboards:create, dashboards:write"
            return 403, access_denied(action)
        return self._dispatch(method, path, query, body)

    def _dispatch(self, method: str, path: str, query: dict, body) -> tuple[int, object]:
        g = self.grafana
        if path == "/api/search" and method == "GET":
            return g.search(query)
        if path == "/api/dashboards/db" and method == "POST":
            return g.save(body, "azora-ci")
        if path == "/api/folders" and method == "POST":
            return g.create_folder(body)
        found = re.fullmatch(r"/api/folders/([^/]+)", path)
        if found and method == "GET":
            return g.get_folder(found.group(1))
        found = re.fullmatch(r"/api/dashboards/uid/([^/]+)(/versions(?:/(\d+))?)?", path)
        if found and found.group(2) and method == "GET":
            return g.versions(found.group(1), found.group(3), query)
        if found and method == "GET":
            return g.get_dashboard(found.group(1))
        if found and method == "DELETE" and not found.group(2):
            return g.delete(found.group(1))
        return 404, {"message": "Not found"}

    def _send(self, status: int, body, headers: dict | None = None, content_type: str = "application/json") -> None:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)


def main() -> None:
    """Serve in its own process (the benchmark): print the URL, stop when stdin closes."""
    import argparse
    import sys

    parser = argparse.ArgumentParser()
    parser.add_argument("--token", default="stub-token")
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    stub = GrafanaStub(token=args.token, latency=args.latency)
    print(stub.start(), flush=True)
    sys.stdin.read()
    stub.stop()


if __name__ == "__main__":
    main()
