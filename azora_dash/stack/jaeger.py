"""``monitoring/jaeger/jaeger.yml``: Jaeger v2 (an OpenTelemetry Collector distribution), OTLP in.

Shape of jaegertracing/jaeger ``cmd/jaeger/internal/all-in-one.yaml``: extensions
``jaeger_storage`` (backends.<name>.memory.max_traces), ``jaeger_query`` (storage.traces),
``healthcheckv2``; the ``otlp`` receiver with gRPC :4317 and HTTP :4318; the
``jaeger_storage_exporter`` (trace_storage). Storage is in memory: traces are for
drill-down, not an archive, and are lost on restart.
"""

from __future__ import annotations

from .settings import Stack

OTLP_GRPC, OTLP_HTTP, QUERY, HEALTH = 4317, 4318, 16686, 13133
STORE = "traces_memory"


def config(stack: Stack) -> dict:
    return {
        "service": {
            "extensions": ["jaeger_storage", "jaeger_query", "healthcheckv2"],
            "pipelines": {
                "traces": {"receivers": ["otlp"], "processors": ["batch"], "exporters": ["jaeger_storage_exporter"]}
            },
        },
        "extensions": {
            "healthcheckv2": {"use_v2": True, "http": {"endpoint": f"0.0.0.0:{HEALTH}"}},
            "jaeger_query": {"storage": {"traces": STORE}, "http": {"endpoint": f"0.0.0.0:{QUERY}"}},
            "jaeger_storage": {"backends": {STORE: {"memory": {"max_traces": stack.max_traces}}}},
        },
        "receivers": {
            "otlp": {
                "protocols": {
                    "grpc": {"endpoint": f"0.0.0.0:{OTLP_GRPC}"},
                    "http": {"endpoint": f"0.0.0.0:{OTLP_HTTP}"},
                }
            }
        },
        "processors": {"batch": {}},
        "exporters": {"jaeger_storage_exporter": {"trace_storage": STORE}},
    }
