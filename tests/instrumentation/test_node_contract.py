"""The instrumentation contract: what instrumentation/node exposes under real Node is what the
catalogue says, family by family, and what the dashboards and alerts query; the demo exposes the same."""

from __future__ import annotations

import pytest
import requests
import yaml
from prometheus_client.parser import text_string_to_metric_families

from azora_dash import promql
from azora_dash.build.project import render
from azora_dash.config import DEFAULT
from azora_dash.demo.server import make_jobs
from azora_dash.lint import catalogue as cat
from azora_dash.lint.query import parse
from azora_dash.stack import alerts as A

from ..conftest import ROOT
from .node_app import NODE_DIR, running, scrape

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
# (method, path, query/json, expected status): every kind of answer the dashboards tell apart.
TRAFFIC = [
    ("GET", "/", None, 200),
    ("GET", "/api/users/17", None, 200),
    ("GET", "/api/users/18", None, 200),
    ("GET", "/no/such/page/1", None, 404),
    ("GET", "/no/such/page/2", None, 404),
    ("GET", "/error", None, 500),
    ("GET", "/limited", None, 429),
    ("POST", "/api/auth/login", None, 200),
    ("POST", "/api/auth/login?fail=1", None, 401),
    ("POST", "/api/auth/register", None, 201),
    ("POST", "/api/payments", {"amount": 250, "currency": "ZAR"}, 201),
    ("POST", "/api/payments?fail=1", {"amount": 80, "currency": "USD"}, 402),
]


def _service_families() -> dict[str, dict]:
    """Catalogue entries of the services' own instrumentation (its metrics and prom-client's defaults)."""
    entries = yaml.safe_load(cat.DEFAULT_PATH.read_text(encoding="utf-8"))["metrics"]
    return {
        name: e
        for name, e in entries.items()
        if e["source"].startswith(("instrumentation/node/", "siimon/prom-client@"))
    }


SERVICE = _service_families()


def _family(name: str, kind: str) -> str:
    # OpenMetrics names a counter family without its _total suffix (prometheus_client's parsers do too).
    return name[: -len("_total")] if kind == "counter" and name.endswith("_total") else name


def _shape(families: dict, name: str, entry: dict):
    """(type, label names, has samples) of one catalogue family in a parsed exposition, or None."""
    family = families.get(_family(name, entry["type"]))
    if family is None:
        return None
    labels = {k for s in family.samples for k in s.labels} - {"le", "quantile"}
    return family.type, labels, bool(family.samples)


@pytest.fixture(scope="module")
def node_exposition():
    with running(NODE_DIR / "example" / "server.js") as base:
        for method, path, body, status in TRAFFIC:
            got = requests.request(method, base + path, json=body, timeout=10).status_code
            assert got == status, f"{method} {path}: {got}, expected {status}"
        with requests.Session() as session:  # enough allocation for the young generation to fill
            for _ in range(300):
                session.get(base + "/api/users/1", timeout=10)
        requests.get(base + "/", headers={"traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-01"}, timeout=10)
        yield scrape(base)


@pytest.mark.parametrize("name", sorted(SERVICE))
def test_family_matches_the_catalogue(node_exposition, name):
    entry = SERVICE[name]
    shape = _shape(node_exposition, name, entry)
    assert shape is not None, f"{name} is not exposed by instrumentation/node"
    kind, labels, has_samples = shape
    assert kind == ("gauge" if entry["type"] == "info" else entry["type"]), name
    assert has_samples, f"{name}: exposed without a series"
    assert labels == set(entry["labels"]), f"{name}: labels {sorted(labels)}, catalogue {entry['labels']}"


def test_route_label_is_bounded(node_exposition):
    routes = {s.labels["route"] for s in node_exposition["http_requests"].samples}
    # One series per route template, and one for everything unmatched: never one per URL.
    assert {"/api/users/:id", "unmatched", "/api/auth/login", "/limited", "/error"} <= routes
    assert not [r for r in routes if "17" in r or "/no/such" in r]
    statuses = {s.labels["status_code"] for s in node_exposition["http_requests"].samples}
    assert {"200", "201", "401", "404", "429", "500"} <= statuses


def test_business_metrics_count_what_happened(node_exposition):
    payments = {
        (s.labels["status"], s.labels["currency"]): s.value
        for s in node_exposition["payments_processed"].samples
        if s.name == "payments_processed_total"
    }
    assert payments == {("success", "ZAR"): 1, ("failed", "USD"): 1}
    amount = {
        s.labels["currency"]: s.value for s in node_exposition["payment_amount"].samples if s.name.endswith("_sum")
    }
    assert amount == {"ZAR": 250, "USD": 80}
    registrations = [s.value for s in node_exposition["user_registrations"].samples if s.name.endswith("_total")]
    assert registrations == [1]


def test_latency_exemplar_carries_the_trace_id(node_exposition):
    exemplars = [
        s.exemplar
        for s in node_exposition["http_request_duration_seconds"].samples
        if s.exemplar and s.labels.get("route") == "/"
    ]
    assert [e.labels for e in exemplars] == [{"trace_id": TRACE_ID}]
    # Requests without a traceparent leave no exemplar behind.
    assert not [
        s
        for s in node_exposition["http_request_duration_seconds"].samples
        if s.exemplar and s.labels.get("route") != "/"
    ]


INJECTED = """
const express = require('express');
const { createInstrumentation } = require('.');
const { middleware, metricsHandler } = createInstrumentation({ getTraceId: () => 'abcdef0123456789abcdef0123456789' });
const app = express();
app.use(middleware);
app.get('/metrics', metricsHandler);
app.get('/work', (req, res) => res.send('ok'));
const server = app.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
"""


def test_trace_id_getter_is_injectable(tmp_path):
    # E.g. OpenTelemetry's active span; the script runs from instrumentation/node to resolve its modules.
    script = NODE_DIR / f".injected-{tmp_path.name}.js"
    script.write_text(INJECTED, encoding="utf-8")
    try:
        with running(script) as base:
            requests.get(base + "/work", timeout=10)
            families = scrape(base)
    finally:
        script.unlink()
    exemplars = [s.exemplar.labels for s in families["http_request_duration_seconds"].samples if s.exemplar]
    assert exemplars == [{"trace_id": "abcdef0123456789abcdef0123456789"}]


def _prometheus(target: dict) -> bool:
    return (target.get("datasource") or {}).get("type", "prometheus") == "prometheus"


def _queried_metrics() -> set[str]:
    exprs = [a.expr for a in A.alerts(DEFAULT)]
    for compiled in render(DEFAULT, ROOT / "dashboards")[0]:
        stack = list(compiled.dashboard.get("panels", []))
        while stack:
            panel = stack.pop()
            stack += panel.get("panels", [])
            # Loki targets are LogQL, not metrics the services expose.
            exprs += [t["expr"] for t in panel.get("targets", []) if t.get("expr") and _prometheus(t)]
    names = set()
    for expr in exprs:
        names |= {s.metric for s in parse(promql.substitute(expr)).selectors}
    return names


def _family_of(series: str) -> str:
    for suffix in ("_bucket", "_sum", "_count"):
        if series.endswith(suffix) and series[: -len(suffix)] in SERVICE:
            return series[: -len(suffix)]
    return series


def test_nothing_the_dashboards_query_for_the_services_is_missing(node_exposition):
    queried = {_family_of(m) for m in _queried_metrics()} & set(SERVICE)
    assert {"http_requests_total", "http_request_duration_seconds", "payments_processed_total"} <= queried
    missing = [m for m in queried if _shape(node_exposition, m, SERVICE[m]) is None]
    assert missing == []


def test_demo_exposes_the_same_families_and_labels(node_exposition):
    demo: dict[str, dict] = {}  # union over every service job, as Prometheus would see the fleet
    jobs = make_jobs(DEFAULT, seed=3)
    for job in DEFAULT.service_jobs:
        for family in text_string_to_metric_families(jobs[job].scrape(1.8e9).decode()):
            into = demo.setdefault(family.name, family)
            if into is not family:
                into.samples += family.samples
    differences = {}
    for name, entry in SERVICE.items():
        real, fake = _shape(node_exposition, name, entry), _shape(demo, name, entry)
        if real and fake and not (real[2] and fake[2]):  # a family without series has no labels to compare
            real, fake = real[0], fake[0]
        if real != fake:
            differences[name] = {"instrumentation/node": real, "demo": fake}
    assert differences == {}
