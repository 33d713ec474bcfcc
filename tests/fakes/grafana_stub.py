"""A stand-in Grafana HTTP API for tests and the benchmark (no Grafana binary exists here).

A threaded stdlib ``http.server`` on 127.0.0.1 serving ``GrafanaModel``
(tests/fakes/grafana_model.py: Grafana's paths, status codes, JSON bodies and version
counting, each cited), the resource API of 12+ (tests/fakes/grafana_resources.py), and
authentication as Grafana does it. ``GrafanaStub(version="12.2")`` plays that release:
"10.4", "11.2" (the default), "12.2" or "13.0".
  [authn]      pkg/services/authn/authnimpl/service.go (errCantAuthenticateReq -> 401) and
               pkg/services/accesscontrol/middleware.go (deny -> 403 with accessErrorId)
  [routes]     pkg/api/api.go: /api/health is anonymous; version reads need dashboards:write
  [health]     pkg/api/health.go apiHealthHandler: {"commit", "database", "version"}
  [org]        pkg/services/contexthandler: X-Grafana-Org-Id selects the org of the request
Fault injection (latency, 429 + Retry-After, 5xx, hangs, dropped connections,
HTML bodies) and a request log (to count write calls) are test-only additions.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import ssl
import subprocess
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .grafana_model import GrafanaModel
from .grafana_resources import ResourceAPI

WRITE_METHODS = ("POST", "PUT", "DELETE", "PATCH")
# [authn] errutil.Unauthorized("auth.unauthorized") rendered by errutil's public payload.
UNAUTHORIZED = {"message": "Unauthorized", "messageId": "auth.unauthorized", "statusCode": 401, "traceID": ""}
LOGIN_PAGE = "<!DOCTYPE html><html><head><title>Sign in</title></head><body>Please log in</body></html>"


def access_denied(action: str) -> dict:
    # [authn] accesscontrol deny(): 403 with title/message/accessErrorId.
    return {
        "accessErrorId": "ACE0123456789",
        "title": "Access denied",
        "message": f"You'll need additional permissions to perform this action. Permissions needed: {action}",
    }


@dataclass
class Fault:
    method: str
    path: str  # prefix of the request path
    kind: str  # status | html | hang | drop | drop_after | redirect
    times: int = 1
    status: int = 500
    retry_after: str | None = None
    seconds: float = 0.0


class GrafanaStub(GrafanaModel, ResourceAPI):
    def __init__(
        self,
        token: str = "stub-token",
        latency: float = 0.0,
        viewer_token: str | None = None,
        basic: tuple[str, str] | None = None,
        version: str = "11.2",
    ):
        super().__init__(version)
        self.orgs = {1: "Main Org.", 2: "Second Org."}
        self.org_headers: list[str | None] = []  # X-Grafana-Org-Id of every request, in order
        self.credentials = {f"Bearer {token}": "admin"}
        if viewer_token:
            self.credentials[f"Bearer {viewer_token}"] = "viewer"
        if basic:
            raw = base64.b64encode(f"{basic[0]}:{basic[1]}".encode()).decode()
            self.credentials[f"Basic {raw}"] = "admin"
        self.latency = latency
        self.log: list[tuple[str, str, object]] = []
        self.faults: list[Fault] = []
        self.server: ThreadingHTTPServer | None = None
        self.scheme = "http"

    # -- lifecycle ---------------------------------------------------------------
    def start(self, tls: tuple[str, str] | None = None) -> str:
        """Serve on a free port; ``tls=(certfile, keyfile)`` serves HTTPS."""
        stub = self

        class Handler(_Handler):
            grafana = stub

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            self.scheme = "https"
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self.url

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.server.server_address[1]}"

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


def self_signed(folder: Path) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 from the system's openssl: (certfile, keyfile)."""
    import pytest

    if not shutil.which("openssl"):
        pytest.skip("openssl not installed")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


@contextmanager
def running(tls: tuple[str, str] | None = None, **kwargs):
    """A started stub that is always stopped, even when the test fails."""
    stub = GrafanaStub(**kwargs)
    stub.start(tls)
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

    def do_PUT(self):
        self._handle("PUT")

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
        if fault.kind == "redirect":  # e.g. http -> https, or a moved base URL
            return self._send(fault.status, "", {"Location": f"https://grafana.example{self.path}"}, "text/plain")
        headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
        self._send(
            fault.status, {"message": "Too Many Requests" if fault.status == 429 else "Internal Server Error"}, headers
        )

    def _route(self, method: str, path: str, query: dict, raw: bytes) -> tuple[int, object]:
        g = self.grafana
        if path == "/__stub__/counts":  # test-only: lets a separate process read the request log
            return 200, {"requests": len(g.log), "writes": len(g.writes)}
        g.org_headers.append(self.headers.get("X-Grafana-Org-Id"))
        if path == "/api/health":  # [routes] anonymous
            return 200, {"commit": "stand-in", "database": "ok", "version": f"{g.behaviour.version}.0"}
        role = g.credentials.get(self.headers.get("Authorization", ""))
        if role is None:
            return 401, UNAUTHORIZED
        org = int(self.headers.get("X-Grafana-Org-Id") or 1)
        if org not in g.orgs:
            return 401, {"message": "user not a member of the org", "statusCode": 401}
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            return 400, {"message": "bad request data"}
        if method in WRITE_METHODS and role != "admin":
            action = (
                "folders:create"
                if path == "/api/folders"
                else "dashboards:delete"
                if method == "DELETE"
                else "any of dashboards:create, dashboards:write"
            )
            return 403, access_denied(action)
        if role != "admin" and re.fullmatch(r"/api/dashboards/uid/[^/]+/versions(/\d+)?", path):
            return 403, access_denied("dashboards:write")  # [routes] versions need dashboards:write
        if path == "/api/org" and method == "GET":
            return 200, {"id": org, "name": g.orgs[org]}
        if path == "/apis" and method == "GET":
            return g.discovery()
        if path.startswith("/apis/"):
            return g.resource(method, path, {k: v for k, v in query.items()}, body, org, "azora-ci")
        return self._dispatch(method, path, query, body)

    def _dispatch(self, method: str, path: str, query: dict, body) -> tuple[int, object]:
        g = self.grafana
        if path == "/api/search" and method == "GET":
            return g.search(query)
        if path == "/api/dashboards/db" and method == "POST":
            return g.save(body, "azora-ci")
        if path == "/api/folders" and method == "POST":
            return g.create_folder(body)
        if path == "/api/folders" and method == "GET":
            return g.list_folders(query)
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
    parser.add_argument("--version", default="11.2")
    args = parser.parse_args()
    stub = GrafanaStub(token=args.token, latency=args.latency, version=args.version)
    print(stub.start(), flush=True)
    sys.stdin.read()
    stub.stop()


if __name__ == "__main__":
    main()
