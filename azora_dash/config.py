"""The one configuration object that dashboards, queries and the stack receive.

Modelled on kubernetes-mixin's ``_config+::``: every job name, selector,
datasource uid and house default lives here, so dashboards and alert rules never
hand-write a label selector. Builders take ``cfg`` as an argument and never read
globals or the environment.
"""

from typing import NamedTuple

# Immutable records as NamedTuples rather than frozen dataclasses: a dataclass compiles its
# generated methods when the module is imported, and for Config's 45 fields that was about 3% of
# a build's benchmarked start-up (issue 19); a NamedTuple compiles one constructor. No
# ``from __future__ import annotations`` here: NamedTuple compiles each field's annotation when
# it is a string (typing.ForwardRef), another 2% of that start-up.


class Service(NamedTuple):
    """One Azora Node/Express service as Prometheus scrapes it (spec: prometheus.yml)."""

    name: str  # short name used in titles: "gateway"
    job: str  # Prometheus job label: "azora-gateway"
    host: str  # compose service / DNS name: "api-gateway"
    port: int
    scrape_interval: str = ""  # "" means the global interval


class Exporter(NamedTuple):
    """A third-party exporter. Databases are scraped through their exporters:
    Prometheus cannot scrape PostgreSQL on :5432 or Redis on :6379 directly."""

    job: str
    host: str
    port: int
    scrape_interval: str = ""
    # Where Prometheus reaches it when that is not its compose service name (an exporter on the host network).
    target_host: str = ""

    @property
    def target(self) -> str:
        return f"{self.target_host or self.host}:{self.port}"


SERVICES = (
    Service("gateway", "azora-gateway", "api-gateway", 4000, "5s"),
    Service("auth", "azora-auth", "auth-service", 3001, "10s"),
    Service("mint", "azora-mint", "mint-service", 3002),
    Service("lms", "azora-lms", "lms-service", 3003),
    Service("forge", "azora-forge", "forge-service", 3004),
    Service("nexus", "azora-nexus", "nexus-service", 3005),
    Service("education", "azora-education", "education-service", 3007),
    Service("payments", "azora-payments", "payments-service", 3008),
)


class Config(NamedTuple):
    services: tuple[Service, ...] = SERVICES
    # node-exporter shares the host's network and pid namespaces (so netdev/netstat read the host's);
    # Prometheus, on the bridge network, reaches it through the host gateway (monitoring compose file).
    node: Exporter = Exporter("node-exporter", "node-exporter", 9100, target_host="host.docker.internal")
    cadvisor: Exporter = Exporter("cadvisor", "cadvisor", 8080, "30s")
    postgres: Exporter = Exporter("postgres", "postgres-exporter", 9187, "30s")
    redis: Exporter = Exporter("redis", "redis-exporter", 9121, "30s")
    prometheus: Exporter = Exporter("prometheus", "localhost", 9090)
    alertmanager: Exporter = Exporter("alertmanager", "alertmanager", 9093)
    scrape_interval: str = "15s"

    # Grafana side.
    datasource_uid: str = "azora-prometheus"
    datasource_type: str = "prometheus"
    datasource_name: str = "Prometheus"
    datasource_url_env: str = "PROMETHEUS_URL"
    datasource_url_default: str = "http://prometheus:9090"
    rate_interval: str = "$__rate_interval"
    uid_prefix: str = "azora-"
    tags: tuple[str, ...] = ("azora",)
    # Marks dashboards that azora-dash owns, so push/prune never touch others.
    managed_tag: str = "managed-by-azora-dash"
    folder: str = "Azora"
    folder_uid: str = "azora"
    refresh: str = "30s"
    time_from: str = "now-6h"
    timezone: str = "browser"
    # Logs (Loki) and traces (Jaeger): datasources provisioned beside Prometheus, each with a
    # stable uid so data links, derived fields and exemplar links can name them.
    loki_uid: str = "azora-loki"
    loki_name: str = "Loki"
    loki_url_env: str = "LOKI_URL"
    loki_url_default: str = "http://loki:3100"
    jaeger_uid: str = "azora-jaeger"
    jaeger_name: str = "Jaeger"
    jaeger_url_env: str = "JAEGER_URL"
    jaeger_url_default: str = "http://jaeger:16686"
    # The label/field that carries the W3C trace id: exemplar label, JSON log field.
    trace_id_label: str = "trace_id"
    # LogQL range for log rates; Grafana's Loki datasource fills $__auto (like $__rate_interval).
    log_interval: str = "$__auto"
    # RUNBOOKS.md as served; alert rules' runbook_url and the Alerts table's links share it.
    runbook_base_url: str = "https://github.com/azora-os/azora-dash/blob/main/monitoring/RUNBOOKS.md"
    # Drill-down targets (dashboard slugs): where a clicked series' details live.
    service_dashboard: str = "api-gateway"
    host_dashboard: str = "system-overview"
    logs_dashboard: str = "logs-traces"
    # Grafana 12.x's current dashboard schemaVersion (public/app/features/dashboard/state/DashboardMigrator.ts).
    schema_version: int = 41

    # Auth routes, for success/failure rates (2xx vs 401/403 on these).
    auth_route_regex: str = "/api/auth/.*|/login|/auth/.*"
    lms_jobs: tuple[str, ...] = ("azora-lms", "azora-education")
    payments_job: str = "azora-payments"
    auth_job: str = "azora-auth"
    gateway_job: str = "azora-gateway"

    @property
    def service_jobs(self) -> tuple[str, ...]:
        return tuple(s.job for s in self.services)

    @property
    def service_job_regex(self) -> str:
        return "|".join(self.service_jobs)

    @property
    def infra_job_regex(self) -> str:
        """Exporters shown on the System Overview dashboard."""
        return "|".join(e.job for e in (self.node, self.cadvisor, self.postgres, self.redis))

    def uid(self, slug: str) -> str:
        return f"{self.uid_prefix}{slug}"

    def evolve(self, **changes) -> "Config":
        return self._replace(**changes)


DEFAULT = Config()
