"""Every file of the monitoring stack (``azora_dash.stack`` re-exports these names).

``render(cfg)`` builds every file in memory (path relative to the output directory,
``monitoring/`` by default); ``generate`` writes them atomically, or with ``check``
only reports what is stale, like ``azora_dash.build.project``.
"""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..jsonio import WriteResult, plan_tree, write_tree
from . import alertmanager, alerts, alloy, compose, jaeger, loki, observability, prometheus, slos
from .settings import DEFAULT_STACK, Stack
from .yamlout import dump

RULES = f"prometheus/{prometheus.RULES_FILE}"
SLO_RULES = f"prometheus/{prometheus.SLO_RULES_FILE}"
PROMETHEUS = "prometheus/prometheus.yml"
ALERTMANAGER = "alertmanager/alertmanager.yml"
COMPOSE = "docker-compose.yml"
RUNBOOKS = "RUNBOOKS.md"
# Generated files `generate` may delete when they stop being generated.
OWNED = ("prometheus/*.yml", "alertmanager/*.yml", "loki/*.yml", "jaeger/*.yml", "alloy/*.alloy")


def render(cfg: Config, stack: Stack = DEFAULT_STACK) -> dict[str, str]:
    secrets = "\n".join(f"  secrets/{name}: {what}" for name, what in stack.secrets)
    return {
        RULES: dump(alerts.rule_groups(cfg, stack), "Alert rules; runbooks in monitoring/RUNBOOKS.md."),
        SLO_RULES: dump(
            slos.rule_groups(cfg, stack),
            "SLO recording rules and burn-rate alerts; declared in azora_dash/stack/slos.py.",
        ),
        PROMETHEUS: dump(prometheus.config(cfg, stack)),
        ALERTMANAGER: dump(alertmanager.config(cfg, stack), alertmanager.POLICY),
        COMPOSE: dump(
            compose.config(cfg, stack),
            "Run from the repository root: docker compose -f monitoring/docker-compose.yml up -d\n"
            f"Needs the external network {stack.network} and these files (git-ignored, never committed):\n"
            + secrets
            + f"\nPorts bind to {stack.bind_address} unless {stack.bind_address_env} says otherwise (e.g. 0.0.0.0).\n"
            f"node-exporter uses the host's network and pid namespaces and listens on 127.0.0.1 and on\n"
            f"{stack.host_gateway_env} (default {stack.host_gateway_ip}, docker0), which Prometheus reaches as host.docker.internal.",
        ),
        RUNBOOKS: alerts.runbooks(cfg) + slos.RUNBOOK,
        observability.LOKI_CONFIG: dump(loki.config(stack)),
        observability.JAEGER_CONFIG: dump(jaeger.config(stack)),
        observability.ALLOY_CONFIG: alloy.HEADER + alloy.config(cfg),
    }


def generate(cfg: Config, out: Path, check: bool = False, stack: Stack = DEFAULT_STACK) -> WriteResult:
    files = render(cfg, stack)
    return plan_tree(out, files, OWNED) if check else write_tree(out, files, OWNED)
