"""Compose services for logs and traces: Loki, Alloy and Jaeger v2, beside Prometheus.

Ports are published on the stack's bind address (127.0.0.1 unless overridden) (Grafana reaches them over the compose network);
OTLP is published so services running on the host can send traces. No health checks yet:
whether these images ship a shell and wget was not verified, and nothing waits on them.
"""

from __future__ import annotations

from ..config import Config
from . import jaeger, loki
from .settings import Stack

LOKI_CONFIG = "loki/loki.yml"
ALLOY_CONFIG = "alloy/config.alloy"
JAEGER_CONFIG = "jaeger/jaeger.yml"
VOLUMES = ("loki-data", "alloy-data")


def services(cfg: Config, stack: Stack) -> dict:
    common = {"networks": [stack.network], "restart": "unless-stopped"}
    return {
        "loki": {
            "image": stack.images.loki,
            "command": ["-config.file=/etc/loki/loki.yml"],
            "ports": [stack.publish(loki.PORT)],
            "volumes": ["./loki:/etc/loki:ro", "loki-data:/loki"],
            **common,
        },
        "alloy": {
            "image": stack.images.alloy,
            "command": ["run", "--storage.path=/var/lib/alloy/data", "/etc/alloy/config.alloy"],
            # Read-only Docker socket: discovery.docker lists the containers, loki.source.docker tails them.
            "volumes": [
                "./alloy:/etc/alloy:ro",
                "alloy-data:/var/lib/alloy/data",
                "/var/run/docker.sock:/var/run/docker.sock:ro",
            ],
            "depends_on": ["loki"],
            **common,
        },
        "jaeger": {
            "image": stack.images.jaeger,
            "command": ["--config=/etc/jaeger/jaeger.yml"],
            "ports": [stack.publish(p) for p in (jaeger.QUERY, jaeger.OTLP_GRPC, jaeger.OTLP_HTTP)],
            "volumes": ["./jaeger:/etc/jaeger:ro"],
            **common,
        },
    }


def grafana_environment(cfg: Config) -> dict:
    """The datasource URL variables provisioning/datasources/{loki,jaeger}.yaml read."""
    return {
        cfg.loki_url_env: f"${{{cfg.loki_url_env}:-{cfg.loki_url_default}}}",
        cfg.jaeger_url_env: f"${{{cfg.jaeger_url_env}:-{cfg.jaeger_url_default}}}",
    }
