"""Alert rules as data, built from the same ``Config`` and query functions as the dashboards.

The spec's six alerts, corrected (see issue 6), plus the ones operators expect:
- every expression keeps the ``job`` label, so annotations can name the service and
  Alertmanager can group by, and inhibit on, ``job`` (no series carries ``service``);
- services' errors use ``status_code`` and ``sum by (job)`` on both sides of the ratio;
- CPU/memory come from node-exporter, database health from postgres_exporter, payment
  failures from ``payments_processed_total{status="failed"}``;
- severities follow the spec's strategy: critical = down / money / data loss,
  warning = resource pressure and elevated error rates, info = trends.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import queries as Q
from ..config import Config
from .settings import Stack

SEVERITIES = ("critical", "warning", "info")
# Alerts evaluate over fixed windows: Grafana's $__rate_interval does not exist in Prometheus.
WINDOW = "5m"
ESCALATE_AFTER = "1h"


@dataclass(frozen=True)
class Alert:
    name: str
    group: str
    expr: str
    for_: str
    severity: str
    summary: str
    description: str
    runbook: str  # first steps for the on-call engineer; rendered into RUNBOOKS.md
    labels: tuple[tuple[str, str], ...] = ()

    def rule(self, stack: Stack) -> dict:
        if self.severity not in SEVERITIES:
            raise ValueError(f"alert {self.name}: severity {self.severity!r} is not one of {SEVERITIES}")
        return {
            "alert": self.name,
            "expr": self.expr,
            "for": self.for_,
            "labels": {"severity": self.severity, **dict(self.labels)},
            "annotations": {
                "summary": self.summary,
                "description": self.description,
                "runbook_url": f"{stack.runbook_base_url}#{self.name.lower()}",
            },
        }


def _windowed(cfg: Config) -> Config:
    return cfg.evolve(rate_interval=WINDOW)


def _jobs(jobs) -> str:
    return f'job=~"{"|".join(jobs)}"'


def _service_alerts(cfg: Config) -> list[Alert]:
    w, services = _windowed(cfg), _jobs(cfg.service_jobs)
    return [
        Alert(
            "ServiceDown",
            "azora-services",
            f"up{{{services}}} == 0",
            "2m",
            "critical",
            "{{ $labels.job }} is down",
            "Prometheus has failed to scrape {{ $labels.job }} on {{ $labels.instance }} for more than 2 minutes.",
            "Check the container (`docker compose ps`, logs), then its /metrics endpoint from the Prometheus container.",
        ),
        Alert(
            "HighErrorRate",
            "azora-services",
            f"(\n{Q.error_ratio(w, sel=services)}\n) > 0.05",
            "5m",
            "warning",
            "High 5xx error rate on {{ $labels.job }}",
            "{{ $value | humanizePercentage }} of requests to {{ $labels.job }} returned a 5xx status over the last 5 minutes.",
            "Open the API Gateway dashboard, find the failing routes, and check the service's logs and its dependencies.",
        ),
        Alert(
            "HighLatencyP95",
            "azora-services",
            f"{Q.latency_quantile(w, 0.95, sel=services)} > 1",
            "10m",
            "warning",
            "Slow responses from {{ $labels.job }}",
            "95th percentile response time of {{ $labels.job }} is {{ $value | humanizeDuration }} (threshold 1s).",
            "Compare with traffic and CPU on the System Overview dashboard; look for slow database queries.",
        ),
    ]


def _node_alerts(cfg: Config) -> list[Alert]:
    node = f'job="{cfg.node.job}"'
    idle = f'rate(node_cpu_seconds_total{{{node}, mode="idle"}}[{WINDOW}])'
    memory = f"node_memory_MemAvailable_bytes{{{node}}} / node_memory_MemTotal_bytes{{{node}}}"
    return [
        Alert(
            "HighCPUUsage",
            "azora-infrastructure",
            f"1 - avg by (job, instance) ({idle}) > 0.8",
            "5m",
            "warning",
            "High CPU usage on {{ $labels.instance }}",
            "CPU usage on {{ $labels.instance }} is {{ $value | humanizePercentage }} (threshold 80%).",
            "Find the busiest containers on the System Overview dashboard (cAdvisor) and scale or fix them.",
        ),
        Alert(
            "HighMemoryUsage",
            "azora-infrastructure",
            f"1 - {memory} > 0.85",
            "5m",
            "warning",
            "High memory usage on {{ $labels.instance }}",
            "Memory usage on {{ $labels.instance }} is {{ $value | humanizePercentage }} (threshold 85%).",
            "Find the containers with the largest working set on the System Overview dashboard; look for leaks.",
        ),
    ]


def _database_alerts(cfg: Config) -> list[Alert]:
    pg, redis = f'job="{cfg.postgres.job}"', f'job="{cfg.redis.job}"'
    # pg_up is postgres_exporter's own "can I connect" gauge; an idle healthy database
    # has pg_up == 1 and few active connections, so neither alert fires on it.
    used = f"sum by (job, instance) (pg_stat_activity_count{{{pg}}})"
    limit = f"max by (job, instance) (pg_settings_max_connections{{{pg}}})"
    return [
        Alert(
            "DatabaseConnectionIssues",
            "azora-infrastructure",
            f"pg_up{{{pg}}} == 0",
            "1m",
            "critical",
            "PostgreSQL unreachable from {{ $labels.instance }}",
            "postgres_exporter on {{ $labels.instance }} cannot connect to PostgreSQL (pg_up == 0) for more than 1 minute.",
            "Check the database container and its logs, disk space, and the monitoring user's credentials.",
        ),
        Alert(
            "DatabaseConnectionsNearLimit",
            "azora-infrastructure",
            f"(\n{Q.ratio(used, limit)}\n) > 0.9",
            "5m",
            "warning",
            "PostgreSQL connections near max_connections",
            "PostgreSQL behind {{ $labels.instance }} uses {{ $value | humanizePercentage }} of max_connections.",
            "Look for connection leaks or missing pooling in the services; raise max_connections only with memory to spare.",
        ),
        Alert(
            "PostgresExporterBlind",
            "azora-infrastructure",
            # Below half: the exporter's user lacks pg_monitor and sees only its own session's state
            # (see Q.pg_visible_sessions); with the grant the two counts agree but for in-flight churn.
            f"(\n{Q.pg_visible_sessions(cfg, sel=pg)}\n) < 0.5",
            "30m",
            "warning",
            "postgres_exporter cannot see other sessions on {{ $labels.instance }}",
            "postgres_exporter sees the state of only {{ $value | humanizePercentage }} of PostgreSQL's backends, so the"
            " connection panels read low and DatabaseConnectionsNearLimit cannot fire.",
            "Grant the monitoring role pg_monitor: `GRANT pg_monitor TO postgres_exporter;` (README, Run the whole stack).",
        ),
        Alert(
            "RedisDown",
            "azora-infrastructure",
            # redis_exporter keeps answering its scrape (up == 1) and reports redis_up 0
            # (oliver006/redis_exporter@v1.62.0 exporter/exporter.go, scrapeRedisHost failure path).
            f"redis_up{{{redis}}} == 0",
            "1m",
            "critical",
            "Redis unreachable from {{ $labels.instance }}",
            "redis_exporter on {{ $labels.instance }} cannot connect to Redis (redis_up == 0) for more than 1 minute.",
            "Check the Redis container and its logs, memory (maxmemory, OOM kills), and REDIS_PASSWORD of the exporter.",
        ),
    ]


def _business_alerts(cfg: Config) -> list[Alert]:
    w, payments = _windowed(cfg), f'job="{cfg.payments_job}"'
    failed = Q.sum_rate("payments_processed_total", w, payments, 'status="failed"', by=("job",))
    total = Q.sum_rate("payments_processed_total", w, payments, by=("job",))
    return [
        Alert(
            "PaymentFailures",
            "azora-business",
            f"(\n{Q.ratio(failed, total)}\n) > 0.05",
            "2m",
            "critical",
            "High payment failure rate",
            "{{ $value | humanizePercentage }} of payments processed by {{ $labels.job }} failed over the last 5 minutes.",
            "Check the payment provider's status page and the payments service logs for provider errors.",
        ),
    ]


def _meta_alerts(cfg: Config) -> list[Alert]:
    am = f'job="{cfg.alertmanager.job}"'
    failed = Q.sum_rate("alertmanager_notifications_failed_total", _windowed(cfg), am, by=("job", "integration"))
    # Escalation: a critical alert still firing after ESCALATE_AFTER becomes a new alert
    # for senior engineers. Alertmanager has no acknowledgements, so time firing is the signal.
    # `without (alertstate)` keeps every label of the original alert except ALERTS' own bookkeeping.
    critical = 'max without (alertstate) (ALERTS{alertstate="firing", severity="critical", escalation=""})'
    return [
        Alert(
            "ScrapeTargetDown",
            "azora-monitoring",
            f'up{{job!~"{cfg.service_job_regex}"}} == 0',
            "5m",
            "warning",
            "Prometheus cannot scrape {{ $labels.job }}",
            "Target {{ $labels.instance }} of job {{ $labels.job }} has failed every scrape for 5 minutes; its metrics and alerts are blind.",
            "Check the exporter container and that Prometheus can reach it on the monitoring network.",
        ),
        Alert(
            "AlertmanagerNotificationsFailing",
            "azora-monitoring",
            f"{failed} > 0",
            "5m",
            "critical",
            "Alertmanager cannot deliver {{ $labels.integration }} notifications",
            "Alertmanager failed to send notifications through {{ $labels.integration }} for 5 minutes.",
            "Check Alertmanager's log for the integration's error; verify the secret file (webhook URL, routing key, SMTP password).",
        ),
        Alert(
            "CriticalAlertEscalation",
            "azora-monitoring",
            f'label_replace({critical}, "escalated_alert", "$1", "alertname", "(.+)")',
            ESCALATE_AFTER,
            "critical",
            "{{ $labels.escalated_alert }} unresolved for 1 hour",
            "Critical alert {{ $labels.escalated_alert }} ({{ $labels.job }}) has been firing for over an hour; escalating to senior engineers.",
            "Take over the incident from the on-call engineer; follow the runbook of the escalated alert.",
            labels=(("escalation", "senior"),),
        ),
    ]


def alerts(cfg: Config) -> list[Alert]:
    """Every alert, in file order."""
    return [
        *_service_alerts(cfg),
        *_node_alerts(cfg),
        *_database_alerts(cfg),
        *_business_alerts(cfg),
        *_meta_alerts(cfg),
    ]


def rule_groups(cfg: Config, stack: Stack) -> dict:
    groups: dict[str, list[dict]] = {}
    for alert in alerts(cfg):
        groups.setdefault(alert.group, []).append(alert.rule(stack))
    return {"groups": [{"name": name, "rules": rules} for name, rules in groups.items()]}


def runbooks(cfg: Config) -> str:
    """Markdown the ``runbook_url`` annotations point at (one heading per alert)."""
    lines = [
        "# Azora alert runbooks",
        "",
        "Generated by `azora-dash monitoring` from azora_dash/stack/alerts.py; do not edit.",
        "",
    ]
    for a in alerts(cfg):
        lines += [
            # An exact-case anchor: the Alerts dashboard links ${__data.fields.alertname} here.
            f'<a id="{a.name}"></a>',
            "",
            f"## {a.name}",
            "",
            f"Severity: **{a.severity}**; fires after `{a.for_}`.",
            "",
            "```promql",
            a.expr,
            "```",
            "",
            a.runbook,
            "",
        ]
    return "\n".join(lines)
