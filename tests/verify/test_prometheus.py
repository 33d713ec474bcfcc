"""Credentials from the environment, and nothing secret in what the client shows."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from azora_dash.verify.prometheus import PrometheusClient, PrometheusUnreachable, QueryError, redact

from .live_prometheus import free_port


@pytest.fixture
def proxy():
    """A stand-in for what may sit in front of Prometheus: an auth proxy (401) or a wrong base URL (HTML 404),
    next to Prometheus's own API error body (docs: querying/api, "Format overview")."""
    replies = {
        "deny": (401, "text/plain", b"Unauthorized"),
        "html": (404, "text/html", b"<html>not found</html>"),
        "prom": (
            400,
            "application/json",
            b'{"status":"error","errorType":"bad_data","error":"parse error: unexpected end of input"}',
        ),
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            status, ctype, body = replies[self.path.split("/")[1]]  # every API path under it
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_refused_credentials_and_wrong_base_url_are_fatal(proxy):
    with pytest.raises(
        PrometheusUnreachable, match="answered 401; set PROMETHEUS_USER/PROMETHEUS_PASSWORD or PROMETHEUS_TOKEN"
    ):
        PrometheusClient(f"{proxy}/deny", env={"PROMETHEUS_TOKEN": "tok"}).query("up", 0)
    with pytest.raises(PrometheusUnreachable, match="without a Prometheus API body"):
        PrometheusClient(f"{proxy}/html", env={}).query("up", 0)


def test_query_error_carries_prometheus_message(proxy):
    with pytest.raises(QueryError, match="^parse error: unexpected end of input$"):
        PrometheusClient(f"{proxy}/prom", env={}).query("sum(", 0)


def test_redact_drops_userinfo_query_and_fragment():
    assert redact("https://u:p@prom.example:9443/sub/?x=1#f") == "https://prom.example:9443/sub/"


def test_bearer_token_wins_over_basic_auth():
    c = PrometheusClient("http://p", env={"PROMETHEUS_TOKEN": "t", "PROMETHEUS_USER": "u", "PROMETHEUS_PASSWORD": "pw"})
    assert c.session.headers["Authorization"] == "Bearer t" and c.session.auth is None


def test_basic_auth_from_env():
    c = PrometheusClient("http://p/", env={"PROMETHEUS_USER": "u", "PROMETHEUS_PASSWORD": "pw"})
    assert c.session.auth == ("u", "pw") and c.base == "http://p"
    assert "Authorization" not in PrometheusClient("http://p", env={}).session.headers


def test_tls_is_verified_by_default():
    assert PrometheusClient("https://p", env={}).session.verify is True


def test_connection_failure_names_redacted_url_only():
    with pytest.raises(PrometheusUnreachable) as info:
        PrometheusClient(f"http://u:secret@127.0.0.1:{free_port()}", timeout=2, env={}).query("up", 0)
    assert str(info.value).startswith("cannot reach Prometheus at http://127.0.0.1:")
    assert "secret" not in str(info.value) and info.value.exit_code == 2
