"""``monitoring/prometheus/prometheus.yml``: the spec's scrape jobs, ports and intervals.

Databases are scraped through their exporters (postgres_exporter :9187,
redis_exporter :9121): Prometheus cannot scrape PostgreSQL on :5432 or Redis on
:6379, which speak their own protocols, not HTTP.
"""

from __future__ import annotations

from ..config import Config
from .settings import Stack

RULES_FILE = "alert_rules.yml"  # relative to prometheus.yml, so promtool and the container agree
SLO_RULES_FILE = "slo_rules.yml"  # azora_dash/stack/slos.py


def _job(name: str, target: str, interval: str = "", metrics_path: str = "/metrics") -> dict:
    job = {"job_name": name}
    if interval:
        job["scrape_interval"] = interval
    job["metrics_path"] = metrics_path
    job["static_configs"] = [{"targets": [target]}]
    return job


def scrape_configs(cfg: Config) -> list[dict]:
    jobs = [_job(cfg.prometheus.job, f"{cfg.prometheus.host}:{cfg.prometheus.port}")]
    jobs += [_job(s.job, f"{s.host}:{s.port}", s.scrape_interval) for s in cfg.services]
    for exp in (cfg.node, cfg.cadvisor, cfg.postgres, cfg.redis, cfg.alertmanager):
        jobs.append(_job(exp.job, exp.target, exp.scrape_interval))
    return jobs


def config(cfg: Config, stack: Stack) -> dict:
    return {
        "global": {
            "scrape_interval": cfg.scrape_interval,
            "evaluation_interval": cfg.scrape_interval,
            # Attached to every alert sent to Alertmanager: routes page PagerDuty for production only.
            "external_labels": {"environment": stack.environment},
        },
        "rule_files": [RULES_FILE, SLO_RULES_FILE],
        "alerting": {
            "alertmanagers": [{"static_configs": [{"targets": [f"{cfg.alertmanager.host}:{cfg.alertmanager.port}"]}]}]
        },
        "scrape_configs": scrape_configs(cfg),
    }
