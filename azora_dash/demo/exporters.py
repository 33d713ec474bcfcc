"""Synthetic series shaped like the third-party exporters the dashboards and alerts read.

Names and labels follow the real exporters at the versions the compose file pins, as the
catalogue (azora_dash/lint/catalogue.yaml, which cites each one's source) lists them and
tests/demo/test_server.py checks: postgres_exporter (``pg_up``,
``pg_stat_activity_count{datname,state,usename,application_name,server}``,
``pg_settings_max_connections{server}``, ``pg_stat_database_*{datid,datname}``), redis_exporter
(``redis_up``, ``redis_connected_clients``, ``redis_commands_processed_total``), cAdvisor
(``container_*{id,image,name,container_label_*}``; the root cgroup has no ``name``) and
Alertmanager (``alertmanager_notifications_total{integration}``,
``..._failed_total{integration,reason}``, ``alertmanager_alerts{state}``). Node metrics come
from the real node-exporter.
"""

from __future__ import annotations

import math
import random

from prometheus_client import CollectorRegistry
from prometheus_client.core import Metric

from ..config import Config
from .services import poisson

PG_DATABASES = (("16384", "azora"), ("5", "postgres"))
# pg_stat_activity states postgres_exporter reports (it fills absent ones with 0).
PG_STATES = (
    "active",
    "idle",
    "idle in transaction",
    "idle in transaction (aborted)",
    "fastpath function call",
    "disabled",
)
INTEGRATIONS = ("email", "slack", "pagerduty", "webhook")


class Synthetic:
    """A collector whose counters grow by random amounts each ``advance`` and whose gauges wander."""

    def __init__(self, seed: str):
        self.rng = random.Random(seed)
        self.families: dict[str, tuple[str, str, dict]] = {}  # name -> (type, help, {labels: value})
        self.last = None

    def set(self, name: str, typ: str, help_text: str, labels: dict, value: float) -> None:
        self.families.setdefault(name, (typ, help_text, {}))[2][tuple(sorted(labels.items()))] = value

    def grow(self, name: str, help_text: str, labels: dict, rate: float, dt: float, events: bool = True) -> None:
        """Counter that gains ~rate/s: whole events (Poisson arrivals), or seconds of CPU.

        postgres_exporter's counters have no ``_total`` suffix, and prometheus_client's
        text format appends one to counter families, so those are exposed untyped."""
        typ = "counter" if name.endswith("_total") else "untyped"
        key = tuple(sorted(labels.items()))
        old = self.families.get(name, (typ, help_text, {}))[2].get(key, 0.0)
        gain = poisson(self.rng, rate * dt) if events else max(0.0, self.rng.gauss(rate, rate / 3)) * dt
        self.set(name, typ, help_text, labels, old + gain)

    def collect(self):
        for name, (typ, help_text, samples) in sorted(self.families.items()):
            # Metric with name *_total and type counter would be renamed; strip it as CounterMetricFamily does.
            family = Metric(name[:-6] if typ == "counter" else name, help_text, typ)
            for labels, value in samples.items():
                family.add_sample(name, dict(labels), value)
            yield family


class ExporterSim:
    """One exporter job: a registry with one Synthetic collector, filled by ``fill(sim, now, dt)``."""

    def __init__(self, job: str, fill, seed: int = 0):
        self.job, self.fill = job, fill
        self.sim = Synthetic(f"{seed}:{job}")
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(self.sim)
        self.start = None

    def advance(self, now: float) -> None:
        if self.start is None:
            self.start = self.sim.last = now - 60
        dt = min(max(now - self.sim.last, 0.0), 60.0)
        self.sim.last = now
        self.fill(self.sim, now, dt, self.start)


PG_SERVER = "database:5432"  # postgres_exporter's constant `server` label: the DSN's host:port
PG_USER = "azora"


def postgres(sim: Synthetic, now: float, dt: float, start: float) -> None:
    sim.set(
        "pg_up", "gauge", "Whether the last scrape of metrics from PostgreSQL was able to connect to the server.", {}, 1
    )
    server = {"server": PG_SERVER}
    sim.set("pg_settings_max_connections", "gauge", "Sets the maximum number of concurrent connections.", server, 100)
    for datid, datname in PG_DATABASES:
        busy = datname == "azora"
        backends = 0
        for state in PG_STATES:
            count = {"active": 6, "idle": 18, "idle in transaction": 2}.get(state, 0) if busy else int(state == "idle")
            count = max(0, count + (sim.rng.randint(-2, 2) if count else 0))
            backends += count
            sim.set(
                "pg_stat_activity_count",
                "gauge",
                "number of connections in this state",
                # The exporter's user has pg_monitor (README), so it sees every role's sessions.
                {"datname": datname, "state": state, "usename": PG_USER, "application_name": "", **server},
                count,
            )
        db = {"datid": datid, "datname": datname}
        sim.set("pg_stat_database_numbackends", "gauge", "Number of backends currently connected.", db, backends)
        sim.grow(
            "pg_stat_database_xact_commit",
            "Number of transactions in this database that have been committed",
            db,
            120 if busy else 1,
            dt,
        )
        sim.grow(
            "pg_stat_database_xact_rollback",
            "Number of transactions in this database that have been rolled back",
            db,
            2 if busy else 0,
            dt,
        )
        sim.grow(
            "pg_stat_database_deadlocks", "Number of deadlocks detected in this database", db, 0.002 if busy else 0, dt
        )


def redis(sim: Synthetic, now: float, dt: float, start: float) -> None:
    sim.set("redis_up", "gauge", "Information about the Redis instance", {}, 1)
    sim.set("redis_connected_clients", "gauge", "connected_clients metric", {}, 24 + sim.rng.randint(-3, 3))
    sim.grow("redis_commands_processed_total", "commands_processed_total metric", {}, 350, dt)


# cAdvisor labels usage "total" when the cgroup has no per-CPU figures (cgroup v2, metrics/prometheus.go).
CPU = "total"


def containers(cfg: Config) -> list[tuple[str, str]]:
    """(container name, image) of the compose stack, as cAdvisor labels them."""
    services = [(f"azora-{s.host}", f"azora/{s.host}:latest") for s in cfg.services]
    return services + [
        ("azora-postgres", "postgres:16"),
        ("azora-redis", "redis:7"),
        ("prometheus", "prom/prometheus"),
        ("grafana", "grafana/grafana"),
        ("alertmanager", "prom/alertmanager"),
    ]


def cadvisor(cfg: Config):
    def fill(sim: Synthetic, now: float, dt: float, start: float) -> None:
        # The root cgroup: cAdvisor reports it with id="/" and no name label.
        sim.grow(
            "container_cpu_usage_seconds_total",
            "Cumulative cpu time consumed in seconds.",
            {"id": "/", "cpu": CPU},
            1.5,
            dt,
            events=False,
        )
        for i, (name, image) in enumerate(containers(cfg)):
            labels = {
                "id": f"/system.slice/docker-{i:02x}{name.encode().hex()[:20]}.scope",
                "image": image,
                "name": name,
                # cAdvisor turns every Docker label into one (metrics/prometheus.go, DefaultContainerLabels).
                "container_label_com_docker_compose_service": name.removeprefix("azora-"),
            }
            sim.grow(
                "container_cpu_usage_seconds_total",
                "Cumulative cpu time consumed in seconds.",
                {**labels, "cpu": CPU},
                0.05 + 0.02 * (i % 4),
                dt,
                events=False,
            )
            memory = (120 + 40 * (i % 5)) * 2**20 * (1 + 0.05 * math.sin(now / 300 + i))
            sim.set(
                "container_memory_working_set_bytes", "gauge", "Current working set in bytes.", labels, round(memory)
            )
            sim.set(
                "container_last_seen", "gauge", "Last time a container was seen by the exporter", labels, round(now)
            )
            sim.set(
                "container_start_time_seconds",
                "gauge",
                "Start time of the container since unix epoch in seconds.",
                labels,
                round(start - 3600 * (i + 1)),
            )

    return fill


def alertmanager(sim: Synthetic, now: float, dt: float, start: float) -> None:
    for integration in INTEGRATIONS:
        labels = {"integration": integration}
        sim.grow("alertmanager_notifications_total", "The total number of attempted notifications.", labels, 0.05, dt)
        # Alertmanager exports failures from 0 for every integration; a healthy demo has none.
        sim.grow(
            "alertmanager_notifications_failed_total",
            "The total number of failed notifications.",
            {**labels, "reason": "other"},
            0.0,
            dt,
        )
    for state, count in (("active", 2), ("suppressed", 0), ("unprocessed", 0)):
        sim.set("alertmanager_alerts", "gauge", "How many alerts by state.", {"state": state}, count)


def exporter_sims(cfg: Config, seed: int = 0) -> list[ExporterSim]:
    return [
        ExporterSim(cfg.postgres.job, postgres, seed),
        ExporterSim(cfg.redis.job, redis, seed),
        ExporterSim(cfg.cadvisor.job, cadvisor(cfg), seed),
        ExporterSim(cfg.alertmanager.job, alertmanager, seed),
    ]
