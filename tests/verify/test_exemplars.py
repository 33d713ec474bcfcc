"""End to end: Prometheus 2.42 with exemplar storage scrapes the demo's OpenMetrics exemplars;
every exemplar-enabled panel's query returns trace ids, and verify flags panels that get none."""

from __future__ import annotations

import re

import pytest

from azora_dash.dashboard_file import load_paths
from azora_dash.verify.core import EMPTY, NO_EXEMPLARS, OK, check, dashboard_targets, make_window
from azora_dash.verify.prometheus import PrometheusClient

from ..conftest import ROOT
from .live_prometheus import binaries, live_stack

DASHBOARDS = ROOT / "provisioning" / "dashboards" / "azora"
TRACE_ID = re.compile(r"^[0-9a-f]{32}$")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    missing = [name for name, path in binaries().items() if not path]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed; run `make tools`")
    with live_stack(tmp_path_factory.mktemp("exemplars"), always_firing=False) as live:
        yield live


def exemplar_targets():
    return [t for file in load_paths([DASHBOARDS]) for t in dashboard_targets(file) if t.exemplars]


def test_some_panels_ask_for_exemplars():
    assert {t.container for t in exemplar_targets()} == {"azora-api-gateway", "azora-logs-traces"}


def test_exemplar_queries_return_trace_ids(stack):
    client, window = PrometheusClient(stack.url), make_window("5m", "2s")
    for target in exemplar_targets():
        result = check(client, target, window)
        assert result.status == OK, (target.name, result.detail)
        found = client.query_exemplars(result.query, window.start, window.end)
        ids = [e["labels"].get("trace_id", "") for s in found for e in s["exemplars"]]
        assert ids and all(TRACE_ID.match(i) for i in ids), target.name


def test_verify_reports_a_panel_without_exemplars(stack):
    # request counters carry no exemplars, so a panel asking for them on that query is flagged.
    client, window = PrometheusClient(stack.url), make_window("5m", "2s")
    target = next(iter(exemplar_targets()))
    counter = target.__class__(
        **{**target.__dict__, "expr": 'sum(rate(http_requests_total{job=~"$job"}[$__rate_interval]))'}
    )
    result = check(client, counter, window)
    assert (result.status, result.detail) == (EMPTY, NO_EXEMPLARS)
