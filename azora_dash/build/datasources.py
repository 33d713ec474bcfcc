"""Grafana datasource provisioning: Prometheus, Loki and Jaeger, correlated with each other.

Field names are Grafana's own jsonData types: Prometheus ``exemplarTraceIdDestinations``
(packages/grafana-prometheus/src/types.ts: ExemplarTraceIdDestination {name, datasourceUid}),
Loki ``derivedFields`` (public/app/plugins/datasource/loki/types.ts: DerivedFieldConfig
{matcherRegex, name, url, datasourceUid}), Jaeger ``tracesToLogsV2``/``tracesToMetrics``
(packages/grafana-o11y-ds-frontend/src/TraceToLogs/TraceToLogsSettings.tsx: TraceToLogsOptionsV2;
TraceToMetrics/TraceToMetricsSettings.tsx). URLs are $VAR references Grafana expands at start;
in provisioning files a literal ``$`` is written ``$$``.
"""

from __future__ import annotations

from ..config import Config


def _source(cfg: Config, name: str, uid: str, kind: str, url_env: str, json_data: dict, default=False) -> dict:
    return {
        "name": name,
        "uid": uid,
        "type": kind,
        "access": "proxy",
        "url": f"${url_env}",
        "isDefault": default,
        "editable": False,
        "jsonData": json_data,
    }


def prometheus(cfg: Config) -> dict:
    return _source(
        cfg,
        cfg.datasource_name,
        cfg.datasource_uid,
        cfg.datasource_type,
        cfg.datasource_url_env,
        {
            "timeInterval": cfg.scrape_interval,
            "httpMethod": "POST",
            # An exemplar's trace_id label opens that trace in Jaeger.
            "exemplarTraceIdDestinations": [{"name": cfg.trace_id_label, "datasourceUid": cfg.jaeger_uid}],
        },
        default=True,
    )


def loki(cfg: Config) -> dict:
    # The services log JSON with a "trace_id" field; the derived field turns it into a Jaeger link.
    regex = f'"{cfg.trace_id_label}"\\s*:\\s*"(\\w+)"'
    return _source(
        cfg,
        cfg.loki_name,
        cfg.loki_uid,
        "loki",
        cfg.loki_url_env,
        {
            "maxLines": 1000,
            "derivedFields": [
                {"name": "TraceID", "matcherRegex": regex, "url": "$${__value.raw}", "datasourceUid": cfg.jaeger_uid}
            ],
        },
    )


def jaeger(cfg: Config) -> dict:
    # Span attribute service.name is the `service` stream label Alloy sets (stack/alloy.py).
    service_tag = [{"key": "service.name", "value": "service"}]
    return _source(
        cfg,
        cfg.jaeger_name,
        cfg.jaeger_uid,
        "jaeger",
        cfg.jaeger_url_env,
        {
            "tracesToLogsV2": {
                "datasourceUid": cfg.loki_uid,
                "tags": service_tag,
                "spanStartTimeShift": "-5m",
                "spanEndTimeShift": "5m",
                "filterByTraceID": True,
                "filterBySpanID": False,
                "customQuery": False,
            },
            "tracesToMetrics": {
                "datasourceUid": cfg.datasource_uid,
                "tags": [{"key": "service.name", "value": "service"}],
                "spanStartTimeShift": "-5m",
                "spanEndTimeShift": "5m",
            },
        },
    )


def all_sources(cfg: Config) -> dict[str, dict]:
    """Provisioning file name -> datasource, for provisioning/datasources/."""
    return {"prometheus.yaml": prometheus(cfg), "loki.yaml": loki(cfg), "jaeger.yaml": jaeger(cfg)}
