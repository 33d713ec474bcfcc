"""coverage and backtest against what is not a working Prometheus: one line, exit 2, never a traceback."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ..conftest import invoke
from ..verify.live_prometheus import free_port


@pytest.fixture
def proxy():
    """What may sit in front of Prometheus, on every API path: an auth proxy (401) or a web page (HTML)."""
    replies = {"deny": (401, "text/plain", b"Unauthorized"), "html": (200, "text/html", b"<html>Grafana</html>")}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            status, ctype, body = replies[self.path.split("/")[1]]
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


COMMANDS = (["coverage"], ["backtest", "--range", "1h"])


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize(
    "where, message",
    [
        ("deny", "answered 401; set PROMETHEUS_USER/PROMETHEUS_PASSWORD or PROMETHEUS_TOKEN"),
        ("html", "without a Prometheus API body; is --prometheus the server's base URL?"),
    ],
)
def test_refused_or_not_prometheus(proxy, command, where, message):
    result = invoke([*command, "--prometheus", f"{proxy}/{where}"], exit_code=2)
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_unreachable(command):
    url = f"http://127.0.0.1:{free_port()}"
    result = invoke([*command, "--prometheus", url], exit_code=2)
    assert result.stderr.strip() == (
        f"error: cannot reach Prometheus at {url} (ConnectionError); check --prometheus and that it is running"
    )
