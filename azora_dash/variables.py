"""Template variables, declared once (kubernetes-mixin redeclares its datasource variable six times)."""

from __future__ import annotations

from .config import Config
from .grafanalib_cache import core as G
from .panels import DATASOURCE


def datasource(cfg: Config) -> G.Template:
    return G.Template(
        name="datasource",
        label="Data source",
        type="datasource",
        query=cfg.datasource_type,
        default=cfg.datasource_name,
        refresh=G.REFRESH_ON_DASHBOARD_LOAD,
    )


def container(cfg: Config) -> G.Template:
    # A regex the log queries match `container` with; data links from container series set it.
    return G.Template(name="container", label="Container", type="textbox", query=".+", default=".+")


def _query(name: str, label: str, query: str) -> G.Template:
    # Refresh on time-range change so newly appearing jobs/instances show up.
    return G.Template(
        name=name,
        label=label,
        query=query,
        dataSource=DATASOURCE,
        includeAll=True,
        multi=True,
        allValue=".+",
        refresh=G.REFRESH_ON_TIME_RANGE_CHANGE,
        sort=1,
        default="All",
    )


def job(cfg: Config, jobs_regex: str | None = None) -> G.Template:
    # Labelled "Job", the name every Prometheus dashboard uses (dashboard-linter template-job).
    return _query("job", "Job", f'label_values(up{{job=~"{jobs_regex or cfg.service_job_regex}"}}, job)')


def instance(cfg: Config) -> G.Template:
    return _query("instance", "Instance", 'label_values(up{job=~"$job"}, instance)')


def service_variables(cfg: Config) -> list[G.Template]:
    return [datasource(cfg), job(cfg), instance(cfg)]


def infra_variables(cfg: Config) -> list[G.Template]:
    """The System Overview's exporters (node-exporter, cAdvisor, postgres/redis exporters)."""
    return [datasource(cfg), job(cfg, cfg.infra_job_regex), instance(cfg)]


def logs_variables(cfg: Config) -> list[G.Template]:
    """Logs and traces: the Prometheus datasource, the services' jobs and instances, a container filter."""
    return [datasource(cfg), job(cfg), instance(cfg), container(cfg)]
