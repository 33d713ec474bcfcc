"""coverage and backtest against what is not a working Prometheus: one line, exit 2, never a traceback."""

from __future__ import annotations

import pytest

from ..conftest import invoke
from ..verify.live_prometheus import free_port
from ..verify.test_prometheus import proxy  # noqa: F401 (fixture: an auth proxy and an HTML page on every path)

COMMANDS = (["coverage"], ["backtest", "--range", "1h"])


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize(
    "where, message",
    [
        ("deny", "answered 401; set PROMETHEUS_USER/PROMETHEUS_PASSWORD or PROMETHEUS_TOKEN"),
        ("html", "without a Prometheus API body; is --prometheus the server's base URL?"),
    ],
)
def test_refused_or_not_prometheus(proxy, command, where, message):  # noqa: F811
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
