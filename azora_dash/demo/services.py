"""Synthetic traffic for the Azora services, recorded with the spec's prom-client metrics.

Each service gets its own ``CollectorRegistry`` holding exactly what the services'
instrumentation (``instrumentation/node``) registers, so the demo cannot drift from it
(tests/instrumentation compares the two expositions family by family):
``http_request_duration_seconds`` and ``http_requests_total`` by
``method``/``route``/``status_code``; auth adds ``user_registrations_total`` and
``active_users``; payments adds ``payments_processed_total{status,currency}`` and
``payment_amount{currency}``; prom-client's default ``process_*``/``nodejs_*`` families come
from ``NodeDefaults``. Traffic is simulated lazily: ``advance(now)`` plays
the requests that would have arrived since the last call, from a seeded RNG, so
runs are reproducible.
"""

from __future__ import annotations

import math
import os
import random
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, ProcessCollector
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily

from ..config import Config, Service

DURATION_BUCKETS = (0.1, 0.5, 1, 2, 5, 10)
AMOUNT_BUCKETS = (1, 10, 50, 100, 500, 1000, 5000)
CURRENCIES = (("USD", 0.45, 80.0), ("EUR", 0.25, 70.0), ("ZAR", 0.2, 900.0), ("GBP", 0.1, 60.0))
WARM_UP_S = 120  # traffic simulated at start, so every route/status series exists from the first scrape
MAX_STEP_S = 60  # a long pause between scrapes is replayed as at most this much traffic


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # Express route path, as prom-client labels it (req.route.path)
    weight: float
    median_s: float  # typical latency; kept so every job's p95 stays under the HighLatencyP95 threshold (1 s)
    ok: int = 200


# Express routes per service; auth routes match Config.auth_route_regex.
ROUTES = {
    "gateway": (
        Route("GET", "/health", 2, 0.005),
        Route("GET", "/api/v1/courses", 5, 0.12),
        Route("GET", "/api/v1/users/:id", 3, 0.08),
        Route("POST", "/api/v1/payments", 1, 0.35, 201),
        Route("POST", "/api/v1/auth/login", 2, 0.25),
    ),
    "auth": (
        Route("POST", "/api/auth/login", 6, 0.22),
        Route("POST", "/api/auth/register", 1, 0.4, 201),
        Route("POST", "/api/auth/refresh", 3, 0.05),
        Route("GET", "/api/auth/me", 4, 0.03),
        Route("POST", "/api/auth/logout", 1, 0.02, 204),
    ),
    "mint": (Route("POST", "/api/mint/tokens", 1, 0.4, 201), Route("GET", "/api/mint/balance/:address", 4, 0.07)),
    "lms": (
        Route("GET", "/api/courses", 5, 0.1),
        Route("GET", "/api/courses/:id", 4, 0.06),
        Route("POST", "/api/enrollments", 1, 0.3, 201),
        Route("PUT", "/api/lessons/:id/progress", 3, 0.09),
    ),
    "forge": (Route("GET", "/api/projects", 3, 0.15), Route("POST", "/api/builds", 1, 0.3, 202)),
    "nexus": (Route("POST", "/api/graph/query", 2, 0.3), Route("GET", "/api/recommendations", 3, 0.2)),
    "education": (Route("GET", "/api/curriculum", 4, 0.08), Route("POST", "/api/quizzes/:id/submit", 2, 0.2, 201)),
    "payments": (
        Route("POST", "/api/payments", 3, 0.35, 201),
        Route("GET", "/api/payments/:id", 4, 0.05),
        Route("POST", "/api/refunds", 1, 0.45, 201),
    ),
}
# Requests per second per service: the gateway sees the most traffic.
RPS = {
    "gateway": 40.0,
    "auth": 12.0,
    "mint": 3.0,
    "lms": 10.0,
    "forge": 2.0,
    "nexus": 5.0,
    "education": 6.0,
    "payments": 4.0,
}
# Outcome mix besides success: (status_code, probability). Login adds 401/403 for bad credentials.
FAILURES = ((400, 0.02), (404, 0.015), (429, 0.015), (500, 0.008), (502, 0.003), (503, 0.004))
LOGIN_FAILURES = ((401, 0.12), (403, 0.02))


class ServiceSim:
    """One service's registry and the traffic that drives it."""

    def __init__(self, service: Service, cfg: Config, seed: int = 0):
        self.service, self.cfg, self.job = service, cfg, service.job
        self.rng = random.Random(f"{seed}:{service.job}")
        # Trace ids from their own stream, so adding exemplars left the simulated traffic unchanged.
        self.trace_rng = random.Random(f"{seed}:{service.job}:traces")
        self.registry = CollectorRegistry(auto_describe=True)
        # prom-client's collectDefaultMetrics exposes process_* series too; prometheus_client has the same
        # names for the ones ProcessCollector knows, NodeDefaults adds the rest the catalogue lists.
        ProcessCollector(registry=self.registry)
        self.node = NodeDefaults(self.rng)
        self.registry.register(self.node)
        labels = ("method", "route", "status_code")
        self.duration = Histogram(
            "http_request_duration_seconds",
            "Duration of HTTP requests in seconds",
            labels,
            buckets=DURATION_BUCKETS,
            registry=self.registry,
        )
        self.requests = Counter("http_requests_total", "Total number of HTTP requests", labels, registry=self.registry)
        self.routes = ROUTES[service.name]
        self.extras = _business_metrics(service, cfg, self.registry)
        self.last = None

    def advance(self, now: float) -> None:
        """Play the requests that arrived since the previous call (or a warm-up on the first)."""
        dt = WARM_UP_S if self.last is None else min(max(now - self.last, 0.0), MAX_STEP_S)
        self.last = now
        self.node.advance(dt)
        for _ in range(poisson(self.rng, RPS[self.service.name] * dt)):
            self._request(self.rng.choices(self.routes, weights=[r.weight for r in self.routes])[0])
        if "active" in self.extras:
            # A daily-ish wave plus noise; a gauge, set, never counted up.
            self.extras["active"].set(int(400 + 150 * math.sin(now / 600) + self.rng.randint(-20, 20)))

    def _request(self, route: Route) -> None:
        failures = FAILURES + (LOGIN_FAILURES if route.path.endswith("/login") else ())
        status, roll = route.ok, self.rng.random()
        for code, p in failures:
            if roll < p:
                status = code
                break
            roll -= p
        latency = route.median_s * math.exp(self.rng.gauss(0, 0.5)) * (3 if status >= 500 else 1)
        # Like the services' prom-client histogram, record the request's trace id as an exemplar
        # (exposed only in the OpenMetrics format, which Prometheus asks for when it stores exemplars).
        trace_id = f"{self.trace_rng.getrandbits(128):032x}"
        self.duration.labels(route.method, route.path, str(status)).observe(
            latency, {self.cfg.trace_id_label: trace_id}
        )
        self.requests.labels(route.method, route.path, str(status)).inc()
        if status < 300:
            self._business(route)

    def _business(self, route: Route) -> None:
        if route.path.endswith("/register") and "registrations" in self.extras:
            self.extras["registrations"].inc()
        if route.path == "/api/payments" and route.method == "POST" and "payments" in self.extras:
            currency, _, typical = self.rng.choices(CURRENCIES, weights=[c[1] for c in CURRENCIES])[0]
            outcome = self.rng.choices(("success", "failed", "pending"), weights=(0.97, 0.02, 0.01))[0]
            self.extras["payments"].labels(outcome, currency).inc()
            self.extras["amount"].labels(currency).observe(round(typical * math.exp(self.rng.gauss(0, 1.0)), 2))


def _business_metrics(service: Service, cfg: Config, registry) -> dict:
    if service.job == cfg.auth_job:
        return {
            "registrations": Counter(
                "user_registrations_total", "Total number of user registrations", registry=registry
            ),
            "active": Gauge("active_users", "Number of currently active users", registry=registry),
        }
    if service.job == cfg.payments_job:
        return {
            "payments": Counter(
                "payments_processed_total",
                "Total number of payments processed",
                ("status", "currency"),
                registry=registry,
            ),
            "amount": Histogram(
                "payment_amount", "Payment amounts processed", ("currency",), buckets=AMOUNT_BUCKETS, registry=registry
            ),
        }
    return {}


GC_BUCKETS = (0.001, 0.01, 0.1, 1, 2, 5)  # prom-client lib/metrics/gc.js defaults
GC_KINDS = ("minor", "major", "incremental", "weakcb")
NODE_VERSION = "v20.19.0"


class NodeDefaults:
    """The prom-client default families ProcessCollector lacks, with plausible simulated values."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.gc = {kind: [0] * (len(GC_BUCKETS) + 1) + [0.0] for kind in GC_KINDS}  # bucket counts..., sum

    def advance(self, dt: float) -> None:
        for kind, rate in zip(GC_KINDS, (2.0, 0.05, 0.2, 0.01), strict=True):
            for _ in range(poisson(self.rng, rate * dt)):
                pause = 0.0005 * math.exp(self.rng.gauss(0, 1)) * (20 if kind == "major" else 1)
                counts = self.gc[kind]
                counts[next((i for i, b in enumerate(GC_BUCKETS) if pause <= b), len(GC_BUCKETS))] += 1
                counts[-1] += pause

    def collect(self):
        user, system = os.times()[:2]
        yield CounterMetricFamily("process_cpu_user_seconds_total", "Total user CPU time spent in seconds.", user)
        yield CounterMetricFamily("process_cpu_system_seconds_total", "Total system CPU time spent in seconds.", system)
        yield GaugeMetricFamily("nodejs_eventloop_lag_seconds", "Lag of event loop in seconds.", 0.002)
        heap_total = 48 * 2**20
        yield GaugeMetricFamily("nodejs_heap_size_total_bytes", "Process heap size from Node.js in bytes.", heap_total)
        yield GaugeMetricFamily(
            "nodejs_heap_size_used_bytes", "Process heap size used from Node.js in bytes.", 31 * 2**20
        )
        yield GaugeMetricFamily("nodejs_active_handles_total", "Total number of active handles.", 12)
        gc = HistogramMetricFamily(
            "nodejs_gc_duration_seconds",
            "Garbage collection duration by kind, one of major, minor, incremental or weakcb.",
            labels=["kind"],
        )
        for kind, counts in self.gc.items():
            running, buckets = 0, []
            for bound, n in zip((*map(str, GC_BUCKETS), "+Inf"), counts[:-1], strict=True):
                running += n
                buckets.append((bound, running))
            gc.add_metric([kind], buckets, counts[-1])
        yield gc
        major, minor, patch = NODE_VERSION[1:].split(".")
        info = GaugeMetricFamily(
            "nodejs_version_info", "Node.js version info.", labels=["version", "major", "minor", "patch"]
        )
        info.add_metric([NODE_VERSION, major, minor, patch], 1)
        yield info


def poisson(rng: random.Random, mean: float) -> int:
    """Arrivals in an interval; the normal approximation is fine for the means used here."""
    if mean < 30:
        n, p, limit = 0, 1.0, math.exp(-mean)
        while True:
            p *= rng.random()
            if p <= limit:
                return n
            n += 1
    return max(0, round(rng.gauss(mean, math.sqrt(mean))))
