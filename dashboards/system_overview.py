"""System Overview: hosts, containers, PostgreSQL and Redis."""

from azora_dash import panels as P
from azora_dash import queries as Q
from azora_dash import variables as V


def _up(title, description, expr):
    return P.stat(title, description, expr, "none", steps=P.thresholds((None, P.RED), (1, P.GREEN)), graph=False, w=4)


def _host_share(cfg, title, description, expr, legend):
    """A 0-1 share per host (CPU, memory, disk), drawn against UTILISATION, linking to the host."""
    return P.timeseries(
        title,
        description,
        (expr, legend),
        "percentunit",
        w=8,
        steps=P.UTILISATION,
        max_value=1,
        links=[P.to_host(cfg)],
    )


def build(cfg):
    return P.dashboard(
        cfg,
        "system-overview",
        "Azora / System Overview",
        "Hosts (node-exporter), containers (cAdvisor), PostgreSQL and Redis.",
        "infrastructure",
        variables=V.infra_variables(cfg),
        sections=[
            (
                "Hosts",
                [
                    _host_share(
                        cfg, "CPU usage", "Share of CPU time not idle, per host.", Q.node_cpu_usage(cfg), "{{instance}}"
                    ),
                    _host_share(
                        cfg,
                        "Memory usage",
                        "Share of memory not available, per host.",
                        Q.node_memory_usage(cfg),
                        "{{instance}}",
                    ),
                    _host_share(
                        cfg,
                        "Disk usage",
                        "Share of each filesystem in use.",
                        Q.node_disk_usage(cfg),
                        "{{instance}} {{mountpoint}}",
                    ),
                    P.timeseries(
                        "Network I/O",
                        "Bytes per second the host receives and transmits (host network namespace), loopback excluded.",
                        [
                            (Q.node_network(cfg, "receive"), "in {{instance}}"),
                            (Q.node_network(cfg, "transmit"), "out {{instance}}"),
                        ],
                        "Bps",
                        links=[P.to_host(cfg)],
                    ),
                    P.timeseries(
                        "Active TCP connections",
                        "Established TCP connections per host (host network namespace).",
                        (Q.node_tcp_established(cfg), "{{instance}}"),
                        "short",
                        links=[P.to_host(cfg)],
                    ),
                ],
            ),
            (
                "Containers",
                [
                    P.timeseries(
                        "Container CPU",
                        "CPU cores used per container.",
                        (Q.container_cpu(cfg), "{{name}}"),
                        "short",
                        links=[P.to_container_logs(cfg)],
                    ),
                    P.timeseries(
                        "Container memory",
                        "Working-set memory per container.",
                        (Q.container_memory(cfg), "{{name}}"),
                        "bytes",
                        links=[P.to_container_logs(cfg)],
                    ),
                    P.table(
                        "Container health",
                        "Seconds since cAdvisor last saw each container of the range (stopped ones keep ageing), and"
                        " restarts by restart policy or re-creation (a manual docker restart is not counted).",
                        [
                            P.target(Q.container_last_seen(cfg), "last seen", instant=True, table=True),
                            P.target(Q.container_restarts(cfg), "restarts", instant=True, table=True),
                        ],
                        "s",
                        w=12,
                        links=[P.to_container_logs(cfg, row=True)],
                    ),
                    P.table(
                        "Scrape targets up",
                        "1 when Prometheus scraped the target, 0 when it is down.",
                        Q.up(cfg),
                        "none",
                        w=12,
                        steps=P.thresholds((None, P.RED), (1, P.GREEN)),
                        links=[P.to_host(cfg, row=True)],
                    ),
                ],
            ),
            (
                "Databases",
                [
                    _up("PostgreSQL up", "1 when postgres_exporter can reach the database.", Q.pg_up(cfg)),
                    P.stat(
                        "Connection pool use",
                        "Connections in use as a share of max_connections (needs pg_monitor: see Sessions visible).",
                        Q.pg_connection_use(cfg),
                        "percentunit",
                        steps=P.UTILISATION,
                        w=4,
                    ),
                    P.stat(
                        "Sessions visible",
                        "Share of PostgreSQL's backends whose state the exporter sees; far below 1: no pg_monitor grant.",
                        Q.pg_visible_sessions(cfg),
                        "percentunit",
                        steps=P.thresholds((None, P.RED), (0.5, P.GREEN)),
                        graph=False,
                        w=4,
                    ),
                    _up("Redis up", "1 when redis_exporter can reach Redis.", Q.redis_up(cfg)),
                    P.stat("Redis clients", "Clients connected to Redis.", Q.redis_clients(cfg), "short", w=4),
                    P.stat("Redis ops/s", "Commands Redis processes per second.", Q.redis_ops(cfg), "ops", w=4),
                    P.timeseries(
                        "PostgreSQL connections by state",
                        "Backends per state (active, idle, idle in transaction).",
                        (Q.pg_connections_by_state(cfg), "{{state}}"),
                        "short",
                        w=8,
                        stack=True,
                    ),
                    P.timeseries(
                        "PostgreSQL transactions",
                        "Commits plus rollbacks per second.",
                        (Q.pg_transactions(cfg), "transactions"),
                        "ops",
                        w=8,
                    ),
                    P.timeseries(
                        "PostgreSQL deadlocks",
                        "Deadlocks detected per second, per database.",
                        (Q.pg_deadlocks(cfg), "{{datname}}"),
                        "ops",
                        w=8,
                    ),
                ],
            ),
        ],
    )
