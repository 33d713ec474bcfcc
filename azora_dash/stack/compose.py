"""``monitoring/docker-compose.yml``: the monitoring services beside the Azora services.

Paths are relative to monitoring/ (compose resolves them from the file's directory).
Grafana mounts the repository's generated ``provisioning/``, so the dashboards and the
datasource load at start. Secrets are compose secrets read from monitoring/secrets/
(git-ignored, created by the operator); none appears in this file. Health checks use
busybox ``wget``, present in every image chosen here.
"""

from __future__ import annotations

from ..config import Config
from . import observability
from .settings import SECRETS_DIR, Stack

GRAFANA_PROVISIONING = "/etc/grafana/provisioning"  # same mount point as azora_dash.build.project


def _healthcheck(port: int, path: str) -> dict:
    return {
        # localhost inside the container; node-exporter on the host network listens on the host's loopback.
        "test": ["CMD", "wget", "-q", "--spider", f"http://localhost:{port}{path}"],
        "interval": "30s",
        "timeout": "5s",
        "retries": 3,
        "start_period": "20s",
    }


def _service(image: str, port: int, health_path: str, stack: Stack, **extra) -> dict:
    svc = {"image": image, **extra}
    if "network_mode" not in svc:  # compose rejects networks beside network_mode
        svc["networks"] = [stack.network]
    svc["restart"] = "unless-stopped"
    svc["healthcheck"] = _healthcheck(port, health_path)
    return svc


def _prometheus(cfg: Config, stack: Stack) -> dict:
    return _service(
        stack.images.prometheus,
        cfg.prometheus.port,
        "/-/healthy",
        stack,
        ports=[stack.publish(cfg.prometheus.port)],
        # node-exporter runs on the host network; this name resolves to the host gateway it listens on.
        extra_hosts=[f"{cfg.node.target_host}:host-gateway"],
        volumes=["./prometheus:/etc/prometheus:ro", "prometheus-data:/prometheus"],
        command=[
            "--config.file=/etc/prometheus/prometheus.yml",
            "--storage.tsdb.path=/prometheus",
            f"--storage.tsdb.retention.time={stack.retention}",
            "--web.enable-lifecycle",
            # Keeps the services' OpenMetrics exemplars (trace ids) for Grafana's exemplar links.
            "--enable-feature=exemplar-storage",
        ],
        depends_on={"alertmanager": {"condition": "service_healthy"}},
    )


def _alertmanager(cfg: Config, stack: Stack) -> dict:
    return _service(
        stack.images.alertmanager,
        cfg.alertmanager.port,
        "/-/healthy",
        stack,
        ports=[stack.publish(cfg.alertmanager.port)],
        volumes=["./alertmanager:/etc/alertmanager:ro", "alertmanager-data:/alertmanager"],
        command=["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager"],
        secrets=["smtp_password", "slack_webhook_url", "pagerduty_routing_key", "pagerduty_senior_routing_key"],
    )


def _grafana(cfg: Config, stack: Stack) -> dict:
    url = cfg.datasource_url_env
    return _service(
        stack.images.grafana,
        3000,
        "/api/health",
        stack,
        ports=[stack.publish(3000)],
        environment={
            "GF_SECURITY_ADMIN_USER": "${GRAFANA_ADMIN_USER:-admin}",
            # Grafana reads any GF_* variable ending in __FILE from that file (docs: setup-grafana/configure-docker).
            "GF_SECURITY_ADMIN_PASSWORD__FILE": f"{SECRETS_DIR}/grafana_admin_password",
            "GF_USERS_ALLOW_SIGN_UP": "false",
            # provisioning/datasources/prometheus.yaml reads the datasource URL from this variable.
            url: f"${{{url}:-{cfg.datasource_url_default}}}",
            **observability.grafana_environment(cfg),
        },
        volumes=[f"../provisioning:{GRAFANA_PROVISIONING}:ro", "grafana-data:/var/lib/grafana"],
        secrets=["grafana_admin_password"],
        depends_on={"prometheus": {"condition": "service_healthy"}},
    )


def _node_exporter(cfg: Config, stack: Stack) -> dict:
    # Host network and pid namespaces, as node_exporter's README ("Docker") requires: netdev reads
    # netlink of its own network namespace (node_exporter@v1.8.2 collector/netdev_linux.go,
    # getNetDevStatsNetlink: rtnetlink.Dial(nil)) and netstat reads <procfs>/net/netstat, i.e. the
    # namespace of the exporter's process (collector/netstat_linux.go, getNetStats). On a bridge
    # network both would describe the exporter's container, not the host.
    port = cfg.node.port
    return _service(
        stack.images.node_exporter,
        port,
        "/metrics",
        stack,
        network_mode="host",
        pid="host",
        volumes=["/:/host:ro,rslave"],
        command=[
            "--path.rootfs=/host",
            # $$ is compose's escape for a literal $ in the regex.
            "--collector.filesystem.mount-points-exclude=^/(sys|proc|dev|host|etc)($$|/)",
            # Repeatable (exporter-toolkit@v0.11.0 web/kingpinflag/flag.go): loopback for the health
            # check and local curl, the host gateway for Prometheus; never every interface.
            f"--web.listen-address=127.0.0.1:{port}",
            f"--web.listen-address={stack.host_gateway}:{port}",
        ],
    )


def _exporters(cfg: Config, stack: Stack) -> dict:
    im = stack.images
    return {
        cfg.node.host: _node_exporter(cfg, stack),
        cfg.cadvisor.host: _service(
            im.cadvisor,
            cfg.cadvisor.port,
            "/healthz",
            stack,
            volumes=[
                "/:/rootfs:ro",
                "/var/run:/var/run:ro",
                "/sys:/sys:ro",
                "/var/lib/docker/:/var/lib/docker:ro",
                "/dev/disk/:/dev/disk:ro",
            ],
            devices=["/dev/kmsg"],
        ),
        cfg.postgres.host: _service(
            im.postgres_exporter,
            cfg.postgres.port,
            "/",
            stack,
            environment={
                "DATA_SOURCE_URI": "${POSTGRES_HOST:-database}:5432/${POSTGRES_DB:-azora}?sslmode=disable",
                "DATA_SOURCE_USER": "${POSTGRES_EXPORTER_USER:-postgres_exporter}",
                "DATA_SOURCE_PASS_FILE": f"{SECRETS_DIR}/postgres_exporter_password",
            },
            secrets=["postgres_exporter_password"],
        ),
        cfg.redis.host: _service(
            im.redis_exporter,
            cfg.redis.port,
            "/",
            stack,
            # Deployment-time substitution; empty when Redis has no password.
            environment={"REDIS_ADDR": "redis://${REDIS_HOST:-redis}:6379", "REDIS_PASSWORD": "${REDIS_PASSWORD:-}"},
        ),
    }


def config(cfg: Config, stack: Stack) -> dict:
    return {
        "name": "azora-monitoring",
        "services": {
            "prometheus": _prometheus(cfg, stack),
            cfg.alertmanager.host: _alertmanager(cfg, stack),
            "grafana": _grafana(cfg, stack),
            **_exporters(cfg, stack),
            **observability.services(cfg, stack),
        },
        # The Azora services' own compose project creates this network; monitoring joins it
        # to reach api-gateway:4000, auth-service:3001, ... by name.
        "networks": {stack.network: {"external": True}},
        "volumes": {
            "prometheus-data": {},
            "alertmanager-data": {},
            "grafana-data": {},
            **{v: {} for v in observability.VOLUMES},
        },
        "secrets": {name: {"file": f"./secrets/{name}"} for name, _ in stack.secrets},
    }
