"""Logs and Traces: log volume and errors per service (Loki), latency exemplars that open the trace (Jaeger).

Three tabs in schema v2 (Grafana 13); the classic build shows them as three rows.
"""

from azora_dash import panels as P
from azora_dash import queries as Q
from azora_dash import variables as V


def build(cfg):
    return P.dashboard(
        cfg,
        "logs-traces",
        "Azora / Logs and Traces",
        "Log volume and error logs per service, and latency exemplars linking to traces and back to logs.",
        "logs",
        variables=V.logs_variables(cfg),
        sections=P.tabs(
            (
                "Log volume",
                [
                    P.timeseries(
                        "Log volume by service and level",
                        "Log lines per second per service, split by level.",
                        (Q.log_volume(cfg), "{{service}} {{level}}"),
                        "short",
                        bars=True,
                        stack=True,
                        datasource=P.loki(cfg),
                        links=[P.to_service(cfg)],
                    ),
                    P.timeseries(
                        "Error-log rate per service",
                        "Error-level log lines per second per service.",
                        (Q.error_log_rate(cfg), "{{job}}"),
                        "short",
                        datasource=P.loki(cfg),
                        links=[P.to_logs(cfg), P.to_service(cfg)],
                    ),
                ],
            ),
            (
                "Error logs",
                [
                    P.logs(
                        cfg,
                        "Recent errors",
                        "Error lines of the selected services, newest first; a trace_id opens the trace in Jaeger.",
                        Q.error_logs(cfg),
                    ),
                ],
            ),
            (
                "Traces",
                [
                    P.timeseries(
                        "p95 latency with exemplars",
                        "95th percentile request duration per service; each exemplar point opens its trace.",
                        (Q.latency_quantile(cfg, 0.95), "{{job}}"),
                        "s",
                        w=24,
                        steps=P.LATENCY,
                        exemplars=True,
                        links=[P.to_service(cfg), P.to_logs(cfg)],
                    ),
                ],
            ),
        ),
    )
