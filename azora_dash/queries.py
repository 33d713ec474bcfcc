"""PromQL as functions of the config (kubernetes-mixin ``queries/*.libsonnet``).

Dashboards call these; no dashboard module writes a label selector. Rules that
the spec got wrong are encoded once here:
- the services' label is ``status_code`` (prom-client middleware in the spec), not ``status``;
- counters are always wrapped in ``rate``/``increase``, gauges never are;
- every rate window is ``cfg.rate_interval`` (``$__rate_interval``);
- ``histogram_quantile`` always aggregates ``by (le, ...)``.
"""

from __future__ import annotations

from .config import Config

SERVICE_SEL = 'job=~"$job", instance=~"$instance"'


def _sel(*matchers: str) -> str:
    inner = ", ".join(m for m in matchers if m)
    return "{" + inner + "}" if inner else ""


def _sum(inner: str, by=()) -> str:
    return f"sum by ({', '.join(by)}) ({inner})" if by else f"sum({inner})"


def sum_rate(metric: str, cfg: Config, *matchers: str, by=()) -> str:
    return _sum(f"rate({metric}{_sel(*matchers)}[{cfg.rate_interval}])", by)


def sum_increase(metric: str, window: str, *matchers: str, by=()) -> str:
    return _sum(f"increase({metric}{_sel(*matchers)}[{window}])", by)


def ratio(numerator: str, denominator: str) -> str:
    return f"{numerator}\n/\n{denominator}"


# --- Azora services (prom-client middleware) --------------------------------------------------


def request_rate(cfg: Config, *matchers: str, by=("job",), sel: str = SERVICE_SEL) -> str:
    return sum_rate("http_requests_total", cfg, sel, *matchers, by=by)


def throttled_rate(cfg: Config, by=("job", "route")) -> str:
    """Requests rejected by rate limiting (429 Too Many Requests)."""
    return request_rate(cfg, 'status_code="429"', by=by)


def status_share(cfg: Config, status_regex: str, *matchers: str, by=("job",), sel: str = SERVICE_SEL) -> str:
    """Share (0-1) of requests whose ``status_code`` matches ``status_regex``."""
    return ratio(
        request_rate(cfg, f'status_code=~"{status_regex}"', *matchers, by=by, sel=sel),
        request_rate(cfg, *matchers, by=by, sel=sel),
    )


def error_ratio(cfg: Config, by=("job",), sel: str = SERVICE_SEL) -> str:
    return status_share(cfg, "5..", by=by, sel=sel)


def latency_quantile(cfg: Config, quantile: float, by=("job",), sel: str = SERVICE_SEL) -> str:
    return (
        f"histogram_quantile({quantile}, {sum_rate('http_request_duration_seconds_bucket', cfg, sel, by=('le', *by))})"
    )


def _auth_sel(cfg: Config) -> str:
    return f'job="{cfg.auth_job}", instance=~"$instance", route=~"{cfg.auth_route_regex}"'


def auth_rate(cfg: Config, status_regex: str) -> str:
    """Login/auth attempts on the auth service by outcome (2xx success, 401/403 failure)."""
    return request_rate(cfg, f'status_code=~"{status_regex}"', by=("route",), sel=_auth_sel(cfg))


def auth_failure_share(cfg: Config) -> str:
    return status_share(cfg, "401|403", by=("route",), sel=_auth_sel(cfg))


def registrations_rate(cfg: Config) -> str:
    return sum_rate("user_registrations_total", cfg, SERVICE_SEL)


def registrations_total(cfg: Config) -> str:
    return sum_increase("user_registrations_total", "$__range", SERVICE_SEL)


def logins_rate(cfg: Config) -> str:
    return auth_rate(cfg, "2..")


def active_users(cfg: Config) -> str:
    # A gauge: summed across instances, never rate()d.
    return f"sum(active_users{_sel(SERVICE_SEL)})"


def payments_rate(cfg: Config, by=("currency", "status")) -> str:
    return sum_rate("payments_processed_total", cfg, SERVICE_SEL, by=by)


def payment_success_ratio(cfg: Config) -> str:
    return ratio(
        sum_rate("payments_processed_total", cfg, SERVICE_SEL, 'status="success"'),
        sum_rate("payments_processed_total", cfg, SERVICE_SEL),
    )


def payment_amount_distribution(cfg: Config) -> str:
    return sum_rate("payment_amount_bucket", cfg, SERVICE_SEL, by=("le",))


def payment_amount_quantile(cfg: Config, quantile: float) -> str:
    return (
        f"histogram_quantile({quantile}, {sum_rate('payment_amount_bucket', cfg, SERVICE_SEL, by=('le', 'currency'))})"
    )


def engagement_rate(cfg: Config) -> str:
    jobs = "|".join(cfg.lms_jobs)
    return request_rate(cfg, by=("job", "route"), sel=f'job=~"{jobs}", instance=~"$instance"')


def up(cfg: Config, sel: str = SERVICE_SEL) -> str:
    return f"up{_sel(sel)}"


def availability(cfg: Config, sel: str = SERVICE_SEL) -> str:
    return f"avg by (job) (avg_over_time(up{_sel(sel)}[$__range]))"


# --- node-exporter -------------------------------------------------------------------------


# Infrastructure panels filter by the dashboard's $job/$instance like service panels do;
# the metric names already say which exporter a series comes from.
def _node(cfg: Config, *matchers: str) -> str:
    return _sel(SERVICE_SEL, *matchers)


_FS = 'fstype!~"tmpfs|overlay|squashfs"'
_IDLE = 'mode="idle"'
_NOT_LO = 'device!="lo"'


def node_cpu_usage(cfg: Config) -> str:
    return f"1 - avg by (instance) (rate(node_cpu_seconds_total{_node(cfg, _IDLE)}[{cfg.rate_interval}]))"


def node_memory_usage(cfg: Config) -> str:
    return f"1 - node_memory_MemAvailable_bytes{_node(cfg)} / node_memory_MemTotal_bytes{_node(cfg)}"


def node_disk_usage(cfg: Config) -> str:
    return f"1 - node_filesystem_avail_bytes{_node(cfg, _FS)} / node_filesystem_size_bytes{_node(cfg, _FS)}"


def node_network(cfg: Config, direction: str) -> str:
    return sum_rate(f"node_network_{direction}_bytes_total", cfg, SERVICE_SEL, _NOT_LO, by=("instance",))


def node_tcp_established(cfg: Config) -> str:
    return f"node_netstat_Tcp_CurrEstab{_node(cfg)}"


# --- cAdvisor -------------------------------------------------------------------------------


def _container(cfg: Config) -> str:
    return _sel(SERVICE_SEL, 'name!=""')


def container_cpu(cfg: Config) -> str:
    return sum_rate("container_cpu_usage_seconds_total", cfg, SERVICE_SEL, 'name!=""', by=("name",))


def container_memory(cfg: Config) -> str:
    return f"sum by (name) (container_memory_working_set_bytes{_container(cfg)})"


def container_last_seen(cfg: Config) -> str:
    # container_last_seen is cAdvisor's clock at scrape time, sent with an explicit timestamp
    # (google/cadvisor@v0.49.1 metrics/prometheus.go, containerMetrics "container_last_seen" and
    # collectContainersInfo's NewMetricWithTimestamp), so its series vanishes within the lookback
    # of a stop. max_over_time over the range keeps a stopped or removed container ageing instead.
    return f"time() - max by (name) (max_over_time(container_last_seen{_container(cfg)}[$__range]))"


def container_restarts(cfg: Config) -> str:
    """Restarts by restart policy and re-creations seen in the range, per container name.

    container_start_time_seconds is the container's *creation* time (cAdvisor v0.49.1
    container/docker/handler.go newDockerContainerHandler: ``creationTime`` from Docker's
    ``Created``), which a restart does not change, so ``changes()`` over it is always 0. A policy
    restart sets the label ``container_label_restartcount`` (same function: "Only adds restartcount
    label if it's greater than 0") and a re-creation a new ``id``: each is a new series, so we count
    the distinct (id, restartcount) series of each name, minus the first. A manual
    ``docker restart`` bumps neither; the services' own process restarts are service_restarts().
    """
    series = f"last_over_time(container_start_time_seconds{_container(cfg)}[$__range])"
    return f"count by (name) (count by (name, id, container_label_restartcount) ({series})) - 1"


def service_restarts(cfg: Config, sel: str = SERVICE_SEL) -> str:
    # prom-client's process_start_time_seconds is the Node process's start (lib/metrics/processStartTime.js),
    # so it moves on every crash, restart or redeploy of the service.
    return f"sum by (job, instance) (changes(process_start_time_seconds{_sel(sel)}[$__range]))"


# --- postgres_exporter / redis_exporter -----------------------------------------------------

_EXPORTER = _sel(SERVICE_SEL)


def pg_connections_by_state(cfg: Config) -> str:
    return f"sum by (state) (pg_stat_activity_count{_EXPORTER})"


def pg_connection_use(cfg: Config) -> str:
    return ratio(f"sum(pg_stat_activity_count{_EXPORTER})", f"max(pg_settings_max_connections{_EXPORTER})")


def pg_transactions(cfg: Config) -> str:
    return (
        f"{sum_rate('pg_stat_database_xact_commit', cfg, SERVICE_SEL)}"
        f" + {sum_rate('pg_stat_database_xact_rollback', cfg, SERVICE_SEL)}"
    )


def pg_deadlocks(cfg: Config) -> str:
    return sum_rate("pg_stat_database_deadlocks", cfg, SERVICE_SEL, by=("datname",))


def pg_up(cfg: Config) -> str:
    return f"pg_up{_EXPORTER}"


def pg_visible_sessions(cfg: Config, sel: str = SERVICE_SEL) -> str:
    """Sessions whose state the exporter can see, beside the backends PostgreSQL counts.

    Without pg_monitor (or pg_read_all_stats) PostgreSQL hides other roles' ``state``, and
    postgres_exporter v0.15.0 joins pg_stat_activity on a fixed list of states
    (cmd/postgres_exporter/queries.go, "pg_stat_activity"), so pg_stat_activity_count drops those
    sessions. pg_stat_database_numbackends (collector/pg_stat_database.go) is not filtered.
    """
    return ratio(
        f"sum by (job, instance) (pg_stat_activity_count{_sel(sel)})",
        f"sum by (job, instance) (pg_stat_database_numbackends{_sel(sel)})",
    )


def redis_up(cfg: Config) -> str:
    # redis_exporter answers its scrape (up == 1) with redis_up 0 when Redis is unreachable.
    return f"redis_up{_EXPORTER}"


def redis_clients(cfg: Config) -> str:
    return f"sum(redis_connected_clients{_EXPORTER})"


def redis_ops(cfg: Config) -> str:
    return sum_rate("redis_commands_processed_total", cfg, SERVICE_SEL)


# --- Alerts / Alertmanager ------------------------------------------------------------------


def _job(exporter) -> str:
    return _sel(f'job="{exporter.job}"')


def firing_alerts(cfg: Config) -> str:
    return 'ALERTS{alertstate="firing"}'


def firing_count_by(cfg: Config, by=("severity",)) -> str:
    return f'count by ({", ".join(by)}) (ALERTS{{alertstate="firing"}})'


def alert_firing_duration(cfg: Config) -> str:
    # ALERTS_FOR_STATE's value is the Unix time the alert became active.
    return "time() - max by (alertname, job) (ALERTS_FOR_STATE)"


def alert_activations(cfg: Config, window: str = "$__range") -> str:
    # ALERTS_FOR_STATE's value is the alert's ActiveAt and stays constant while it is active
    # (prometheus/prometheus@v2.55.1 rules/alerting.go, forStateSample), so changes() counts only
    # re-activations; +1 counts the first one too (an alert already active at the range's start counts once).
    return f"sum by (alertname) (changes(ALERTS_FOR_STATE[{window}]) + 1)"


def am_notifications(cfg: Config, failed: bool = False, by=("integration",)) -> str:
    metric = "alertmanager_notifications_failed_total" if failed else "alertmanager_notifications_total"
    return sum_rate(metric, cfg, f'job="{cfg.alertmanager.job}"', by=by)


def am_alerts(cfg: Config) -> str:
    return f"sum by (state) (alertmanager_alerts{_job(cfg.alertmanager)})"


# --- SLOs (azora_dash/stack/slos.py) ------------------------------------------------------------
# SLIs are error ratios over fixed windows, from the raw counters so each window is exact
# (no averaging of shorter recordings). With no traffic the ratio is 0/0 = NaN: every
# comparison with NaN is false, so an idle service neither pages nor counts as failing.


def _jobs_sel(jobs) -> str:
    return f'job="{jobs[0]}"' if len(jobs) == 1 else f'job=~"{"|".join(jobs)}"'


def _rate_by_job(metric: str, window: str, *matchers: str) -> str:
    return _sum(f"rate({metric}{_sel(*matchers)}[{window}])", ("job",))


def _bad_share(metric: str, bad: str, jobs, window: str) -> str:
    """Share of ``metric``'s events matching ``bad``, per job."""
    sel = _jobs_sel(jobs)
    total = _rate_by_job(metric, window, sel)
    # `or 0 * total`: a healthy service may have no error series at all; its ratio is 0, not absent.
    return f"(\n  {_rate_by_job(metric, window, sel, bad)}\n  or\n  0 * {total}\n)\n/\n{total}"


def sli_availability_errors(jobs, window: str) -> str:
    """Share of requests answered 5xx."""
    return _bad_share("http_requests_total", 'status_code=~"5.."', jobs, window)


def sli_latency_errors(jobs, window: str, threshold: float) -> str:
    """Share of requests slower than ``threshold`` seconds (a bucket boundary: ``le`` is exact there)."""
    sel = _jobs_sel(jobs)
    total = _rate_by_job("http_request_duration_seconds_count", window, sel)
    fast = _rate_by_job("http_request_duration_seconds_bucket", window, sel, f'le="{threshold:g}"')
    return f"(\n  {total}\n  -\n  {fast}\n)\n/\n{total}"


def sli_payments_errors(jobs, window: str) -> str:
    """Share of payments that failed."""
    return _bad_share("payments_processed_total", 'status="failed"', jobs, window)


def slo_burn_condition(long_window: str, short_window: str, factor: float, period: str) -> str:
    """Both windows burn the budget at least ``factor`` times as fast as the objective allows (SRE workbook ch. 5).

    The value is the long window's burn rate. ``on (slo, job)`` keeps exactly those labels."""

    def burn(window: str) -> str:
        return f'slo:sli_error:ratio_rate{window} / on (slo, job) slo:error_budget:ratio{{period="{period}"}}'

    return f"(\n  {burn(long_window)} > {factor:g}\n)\nand on (slo, job)\n(\n  {burn(short_window)} > {factor:g}\n)"


# Recorded SLO series carry `slo` and `job` but no `instance`: select them by job only.
_SLO_SEL = 'job=~"$job"'


def slo_sli(cfg: Config, window: str) -> str:
    """Current SLI (share of good events) per SLO and job."""
    return f"1 - slo:sli_error:ratio_rate{window}{_sel(_SLO_SEL)}"


def slo_objective(cfg: Config) -> str:
    return f"slo:objective:ratio{_sel(_SLO_SEL)}"


def slo_burn_rate(cfg: Config, window: str) -> str:
    """How many times faster than the objective allows the budget burns over ``window`` (1 = exactly on budget)."""
    return f"slo:sli_error:ratio_rate{window}{_sel(_SLO_SEL)} / on (slo, job) slo:error_budget:ratio{_sel(_SLO_SEL)}"


def slo_budget_remaining(cfg: Config, period: str) -> str:
    """Share of the period's error budget still unspent (negative once overspent)."""
    return f"1 - {slo_burn_rate(cfg, period)}"


def slo_alerts(cfg: Config) -> str:
    return f'count by (slo, job, severity, alertstate) (ALERTS{{alertname="ErrorBudgetBurn", {_SLO_SEL}}})'


# --- LogQL (Loki; labels set by the Alloy pipeline in azora_dash/stack/alloy.py) ------------
# Same rule as PromQL: stream selectors come from here, never from dashboards/. Streams carry
# `job` (the Prometheus job of the container), `service`, `container` and `level` (parsed
# from the services' JSON log lines).

LOG_SEL = 'job=~"$job", container=~"$container"'
ERROR_LEVEL = 'level="error"'


def _stream(*matchers: str) -> str:
    return _sel(LOG_SEL, *matchers)


def log_volume(cfg: Config, by=("service", "level")) -> str:
    """Log lines per second, by service and level."""
    return _sum(f"rate({_stream()} [{cfg.log_interval}])", by)


def error_log_rate(cfg: Config, by=("job",)) -> str:
    """Error-level log lines per second per service."""
    return _sum(f"rate({_stream(ERROR_LEVEL)} [{cfg.log_interval}])", by)


def error_logs(cfg: Config) -> str:
    """Recent error lines, JSON fields extracted (trace_id becomes a link via the derived field)."""
    return f"{_stream(ERROR_LEVEL)} | json"
