"""Deployment settings of the monitoring stack that are not about dashboards.

Job names, ports, scrape intervals and selectors come from ``azora_dash.config.Config``
(shared with the dashboards); this object adds only what the stack files need on
top: pinned images, notification addresses, where secrets are mounted, and the
``environment`` external label. Nothing here is a secret: secrets are files the
operator creates under ``monitoring/secrets/`` (git-ignored) at deploy time.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import DEFAULT

# Inside every container, compose mounts each secret at /run/secrets/<name>
# (Compose specification, "secrets" top-level element).
SECRETS_DIR = "/run/secrets"


@dataclass(frozen=True)
class Images:
    # Pinned tags: `:latest` makes a redeploy silently upgrade (the spec's bug).
    prometheus: str = "prom/prometheus:v2.55.1"
    alertmanager: str = "prom/alertmanager:v0.27.0"
    grafana: str = "grafana/grafana:12.2.0"
    node_exporter: str = "prom/node-exporter:v1.8.2"
    cadvisor: str = "gcr.io/cadvisor/cadvisor:v0.49.1"
    postgres_exporter: str = "prometheuscommunity/postgres-exporter:v0.15.0"
    # The -alpine variant has a shell and wget for the health check; the default image is FROM scratch.
    redis_exporter: str = "oliver006/redis_exporter:v1.62.0-alpine"
    # Logs and traces (configs checked against these versions' sources, see tests/stack/test_logs_traces.py).
    loki: str = "grafana/loki:3.5.5"
    alloy: str = "grafana/alloy:v1.11.0"
    jaeger: str = "jaegertracing/jaeger:2.11.0"


@dataclass(frozen=True)
class Stack:
    images: Images = Images()
    # Added by Prometheus to every alert it sends (external_labels), so Alertmanager
    # can page PagerDuty for production only.
    environment: str = "production"
    team_email: str = "team@azora.os"
    critical_email: str = "critical@azora.os"
    senior_email: str = "senior-engineers@azora.os"
    smtp_from: str = "alerts@azora.os"
    smtp_smarthost: str = "smtp.gmail.com:587"
    smtp_username: str = "alerts@azora.os"
    slack_channel: str = "#alerts-critical"
    runbook_base_url: str = DEFAULT.runbook_base_url  # one address, shared with the Alerts dashboard's links
    network: str = "azora-network"
    # Published ports bind to this address unless the operator sets MONITORING_BIND_ADDRESS
    # (e.g. 0.0.0.0 behind a firewall): nothing is reachable from other machines by default.
    bind_address_env: str = "MONITORING_BIND_ADDRESS"
    bind_address: str = "127.0.0.1"
    # node-exporter (host network) also listens here, the address containers reach as
    # host.docker.internal (`host-gateway`: the default bridge's gateway, docker0, unless dockerd's
    # host-gateway-ip says otherwise). Not a public interface.
    host_gateway_env: str = "HOST_GATEWAY_IP"
    host_gateway_ip: str = "172.17.0.1"
    retention: str = "15d"
    log_retention: str = "168h"  # Loki's limits_config.retention_period
    max_traces: int = 100000  # Jaeger's in-memory store
    # Secret name -> what it holds. Each is a file monitoring/secrets/<name>.
    secrets: tuple[tuple[str, str], ...] = (
        ("grafana_admin_password", "Grafana admin password"),
        ("smtp_password", "SMTP password of the alerts mailbox"),
        ("slack_webhook_url", "Slack incoming-webhook URL for #alerts-critical"),
        ("pagerduty_routing_key", "PagerDuty Events v2 routing key of the on-call service"),
        ("pagerduty_senior_routing_key", "PagerDuty Events v2 routing key of the senior-engineers service"),
        ("postgres_exporter_password", "password of the PostgreSQL monitoring user"),
    )

    def publish(self, port: int) -> str:
        """A compose ``ports`` entry bound to the (overridable) bind address."""
        return f"${{{self.bind_address_env}:-{self.bind_address}}}:{port}:{port}"

    @property
    def host_gateway(self) -> str:
        return f"${{{self.host_gateway_env}:-{self.host_gateway_ip}}}"

    def secret_path(self, name: str) -> str:
        if name not in dict(self.secrets):
            raise KeyError(f"unknown secret {name!r}; add it to Stack.secrets")
        return f"{SECRETS_DIR}/{name}"


DEFAULT_STACK = Stack()
