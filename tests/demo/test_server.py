"""The demo exporter serves the spec's metric names, labels and buckets for every job."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
import requests
import yaml
from prometheus_client.parser import text_string_to_metric_families

from azora_dash.config import DEFAULT
from azora_dash.demo.server import DemoServer, make_jobs, scrape_configs
from azora_dash.lint import catalogue as cat

from ..conftest import invoke

T0 = 1_800_000_000.0
PG_UNTYPED_COUNTERS = {"pg_stat_database_xact_commit", "pg_stat_database_xact_rollback", "pg_stat_database_deadlocks"}
EXPORTER_JOBS = {DEFAULT.postgres.job, DEFAULT.redis.job, DEFAULT.cadvisor.job, DEFAULT.alertmanager.job}


def samples(text: str) -> dict[str, list]:
    """sample name -> [labels dict, value] for every sample in an exposition."""
    out = defaultdict(list)
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[s.name].append((s.labels, s.value))
    return out


@pytest.fixture(scope="module")
def scraped():
    jobs = make_jobs(DEFAULT, seed=1)
    return {name: samples(job.scrape(T0).decode()) for name, job in jobs.items()}


def _buckets(series, **match) -> list[str]:
    return sorted({l["le"] for l, _ in series if all(l.get(k) == v for k, v in match.items())}, key=float)


def test_every_configured_job_is_served(scraped):
    assert set(scraped) == set(DEFAULT.service_jobs) | EXPORTER_JOBS


@pytest.mark.parametrize("job", DEFAULT.service_jobs)
def test_service_http_metrics_follow_the_spec(scraped, job):
    s = scraped[job]
    assert {k for l, _ in s["http_requests_total"] for k in l} == {"method", "route", "status_code"}
    assert _buckets(s["http_request_duration_seconds_bucket"]) == ["0.1", "0.5", "1.0", "2.0", "5.0", "10.0", "+Inf"]
    assert {k for l, _ in s["http_request_duration_seconds_bucket"] for k in l} == {
        "method",
        "route",
        "status_code",
        "le",
    }
    assert not [name for name in s if name.endswith("_created")]  # prom-client exposes none


def test_status_mix_includes_client_errors_throttling_and_server_errors(scraped):
    codes = {l["status_code"] for job in DEFAULT.service_jobs for l, _ in scraped[job]["http_requests_total"]}
    assert {"200", "201", "429", "404", "500", "503"} <= codes
    methods = {l["method"] for job in DEFAULT.service_jobs for l, _ in scraped[job]["http_requests_total"]}
    assert {"GET", "POST", "PUT"} <= methods


def test_auth_logins_succeed_and_fail_on_routes_the_dashboards_select(scraped):
    auth = scraped[DEFAULT.auth_job]
    login = [(l, v) for l, v in auth["http_requests_total"] if re.fullmatch(DEFAULT.auth_route_regex, l["route"])]
    assert {l["status_code"] for l, _ in login} >= {"200", "401"}
    assert auth["user_registrations_total"][0][1] > 0
    assert auth["active_users"][0][1] > 0


def test_payments_metrics(scraped):
    pay = scraped[DEFAULT.payments_job]
    assert {k for l, _ in pay["payments_processed_total"] for k in l} == {"status", "currency"}
    assert {"success", "failed"} <= {l["status"] for l, _ in pay["payments_processed_total"]}
    assert _buckets(pay["payment_amount_bucket"], currency="USD") == [
        "1.0",
        "10.0",
        "50.0",
        "100.0",
        "500.0",
        "1000.0",
        "5000.0",
        "+Inf",
    ]


def _labels(series) -> set[str]:
    return {k for labels, _ in series for k in labels} - {"le", "quantile"}


def test_exporter_series_have_the_real_exporters_names_and_labels(scraped):
    pg, redis, cad, am = (
        scraped[j] for j in (DEFAULT.postgres.job, DEFAULT.redis.job, DEFAULT.cadvisor.job, DEFAULT.alertmanager.job)
    )
    assert pg["pg_up"][0][1] == 1 and pg["pg_settings_max_connections"][0][1] == 100
    assert set(redis) >= {"redis_up", "redis_connected_clients", "redis_commands_processed_total"}
    names = {l.get("name") for l, _ in cad["container_cpu_usage_seconds_total"]}
    assert None in names and "azora-api-gateway" in names  # the root cgroup carries no name label
    assert {l["integration"] for l, _ in am["alertmanager_notifications_failed_total"]} == {
        l["integration"] for l, _ in am["alertmanager_notifications_total"]
    }
    assert {l["state"] for l, _ in am["alertmanager_alerts"]} == {"active", "suppressed", "unprocessed"}


@pytest.mark.parametrize("job", sorted(EXPORTER_JOBS))
def test_exporter_labels_are_the_catalogues(scraped, job):
    # The catalogue cites each exporter's source at the pinned tag; the demo may not drift from it.
    catalogue = cat.load()
    for name, series in scraped[job].items():
        entry = catalogue.get(name)
        assert entry is not None, f"{job}: {name} is not in the catalogue"
        want = entry.labels - {"job", "instance", "le", "quantile"}
        got = _labels(series)
        if entry.open:  # cAdvisor: one container_label_* per Docker label
            assert want - {"name"} <= got and all(k in want or k.startswith("container_label_") for k in got), name
        else:
            assert got == want, f"{job}: {name} has labels {sorted(got)}, the exporter {sorted(want)}"


def test_postgres_sessions_are_all_visible(scraped):
    pg = scraped[DEFAULT.postgres.job]
    visible = sum(v for _, v in pg["pg_stat_activity_count"])
    assert visible == sum(v for _, v in pg["pg_stat_database_numbackends"]) > 1  # PostgresExporterBlind stays quiet


def _counters(text: str) -> dict:
    """Every counter sample (histogram buckets count too); process_* are the real process's, not simulated."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        if family.type in ("counter", "histogram") or family.name in PG_UNTYPED_COUNTERS
        if not family.name.startswith("process_")
        for s in family.samples
    }


def test_counters_grow_and_runs_are_reproducible():
    a, b = make_jobs(DEFAULT, seed=7), make_jobs(DEFAULT, seed=7)
    for job in (DEFAULT.gateway_job, DEFAULT.postgres.job, DEFAULT.cadvisor.job):
        first = _counters(a[job].scrape(T0).decode())
        later = _counters(a[job].scrape(T0 + 30).decode())
        assert all(later[k] >= v for k, v in first.items())
        assert sum(later.values()) > sum(first.values())
        assert _counters(b[job].scrape(T0).decode()) == first  # same seed, same times, same numbers


def test_http_server_paths_and_scrape_configs():
    server = DemoServer(DEFAULT, "127.0.0.1", 0).start()
    try:
        index = requests.get(f"http://{server.address}/", timeout=5)
        assert index.status_code == 200 and "/metrics/azora-gateway" in index.text.splitlines()
        assert requests.get(f"http://{server.address}/metrics", timeout=5).status_code == 404
        body = requests.get(f"http://{server.address}/metrics/{DEFAULT.redis.job}", timeout=5)
        assert body.headers["Content-Type"].startswith("text/plain") and "redis_up 1.0" in body.text
    finally:
        server.stop()
    configs = scrape_configs(server.jobs, "demo:9464", "5s")
    assert {c["job_name"]: c["metrics_path"] for c in configs} == {j: f"/metrics/{j}" for j in server.jobs}
    assert all(c["static_configs"] == [{"targets": ["demo:9464"]}] and c["scrape_interval"] == "5s" for c in configs)


def test_cli_prints_scrape_config():
    result = invoke(["demo", "--print-scrape-config", "--host", "demo", "--port", "9500"])
    jobs = yaml.safe_load(result.stdout)["scrape_configs"]
    assert {j["job_name"] for j in jobs} == set(DEFAULT.service_jobs) | EXPORTER_JOBS
    assert jobs[0]["static_configs"][0]["targets"] == ["demo:9500"]


def test_cli_reports_a_port_in_use():
    server = DemoServer(DEFAULT, "127.0.0.1", 0).start()
    try:
        result = invoke(["demo", "--port", server.port], exit_code=2)
    finally:
        server.stop()
    assert f"cannot listen on 127.0.0.1:{server.port}" in result.stderr
    assert "pick another --port" in result.stderr


def test_cli_names_a_bad_host_not_the_port():
    # 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine, so bind fails.
    result = invoke(["demo", "--host", "192.0.2.1", "--port", "0"], exit_code=2)
    assert "--host '192.0.2.1' is not an address of this machine" in result.stderr
    assert "--port" not in result.stderr


def _totals(text: str, name: str, **match) -> dict:
    return sum(
        s.value
        for f in text_string_to_metric_families(text)
        for s in f.samples
        if s.name == name and all(re.fullmatch(v, s.labels.get(k, "")) for k, v in match.items())
    )


@pytest.mark.parametrize("job", DEFAULT.service_jobs)
def test_demo_is_healthy_over_ten_minutes(job):
    """Over 10 min of 15 s scrapes the demo stays under the generated alerts' thresholds
    (monitoring/prometheus/alert_rules.yml: 5xx ratio > 5%, p95 > 1 s, failed payments > 5%)."""
    sim = make_jobs(DEFAULT, seed=3)[job]
    first = sim.scrape(T0).decode()
    last = [sim.scrape(T0 + 15 * i).decode() for i in range(1, 41)][-1]

    def delta(name, **match):
        return _totals(last, name, **match) - _totals(first, name, **match)

    assert delta("http_requests_total", status_code="5..") / delta("http_requests_total") < 0.05
    assert delta("http_request_duration_seconds_bucket", le="1.0") / delta("http_request_duration_seconds_count") > 0.95
    if job == DEFAULT.payments_job:
        assert delta("payments_processed_total", status="failed") / delta("payments_processed_total") < 0.05


def test_cli_serves_until_interrupted():
    import signal
    import subprocess
    import sys
    from pathlib import Path

    cli_path = Path(sys.executable).with_name("azora-dash")
    proc = subprocess.Popen([str(cli_path), "demo", "--port", "0"], stderr=subprocess.PIPE, text=True)
    try:
        banner = proc.stderr.readline()
        address = re.search(r"http://(\S+)/metrics/<job>", banner)[1]
        body = requests.get(f"http://{address}/metrics/{DEFAULT.payments_job}", timeout=10).text
        assert "payments_processed_total{" in body
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
