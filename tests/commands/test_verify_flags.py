"""verify takes push's TLS flags, and says "TLS verification failed" (naming the flag) rather than "is it running"."""

from __future__ import annotations

from ..conftest import ROOT, invoke
from ..fakes.grafana_stub import running, self_signed

ALERTS = ROOT / "provisioning/dashboards/azora/azora-alerts.json"


def test_self_signed_prometheus_is_a_tls_failure_naming_the_flag(tmp_path):
    cert, key = self_signed(tmp_path)
    with running(tls=(cert, key)) as server:  # any TLS server will do: verification fails before any API call
        url = server.url
        failed = invoke(["verify", ALERTS, "--prometheus", url], exit_code=2)
        trusted = invoke(["verify", ALERTS, "--prometheus", url, "--ca-bundle", cert, "--token", "s3cret"], exit_code=2)
    line = failed.stderr.strip()
    assert "TLS verification failed" in line and "--ca-bundle" in line and "running" not in line
    assert "TLS verification failed" not in trusted.stderr and "s3cret" not in trusted.output


def test_coverage_and_backtest_take_the_same_tls_flags(tmp_path):
    cert, key = self_signed(tmp_path)
    with running(tls=(cert, key)) as server:
        for command in (["coverage", ALERTS], ["backtest"]):
            failed = invoke([*command, "--prometheus", server.url], exit_code=2)
            trusted = invoke([*command, "--prometheus", server.url, "--ca-bundle", cert], exit_code=2)
            insecure = invoke([*command, "--prometheus", server.url, "--insecure"], exit_code=2)
            assert "TLS verification failed" in failed.stderr and "--ca-bundle" in failed.stderr, command
            assert "TLS verification failed" not in trusted.stderr + insecure.stderr, command
            assert "are NOT verified" in insecure.stderr, command
