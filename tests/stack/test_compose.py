"""docker-compose.yml, structurally: services, pinned images, secrets, mounts that exist, health checks.

`docker compose config` runs only when the compose plugin is installed; this machine has
a docker CLI without it (and no engine), so there it is skipped and says so.
"""

from __future__ import annotations

import re
import shutil

import pytest

from azora_dash.config import DEFAULT
from azora_dash.stack import COMPOSE

from .support import REPO, load, run, tree  # noqa: F401 (fixture)

REQUIRED = {"prometheus", "alertmanager", "grafana", "node-exporter", "cadvisor", "postgres-exporter", "redis-exporter"}
SECRETISH = re.compile(r"PASSWORD|SECRET|TOKEN|KEY|PASS\b", re.I)


@pytest.fixture(scope="module")
def compose(tree):
    return load(tree / COMPOSE)


def test_required_services(compose):
    assert REQUIRED <= set(compose["services"])


def test_images_pinned(compose):
    for name, svc in compose["services"].items():
        repo, _, tag = svc["image"].rpartition(":")
        assert repo and "/" not in tag, f"{name}: {svc['image']} has no tag"
        assert tag != "latest", f"{name}: {svc['image']} is not pinned"


def test_no_literal_secret(compose):
    for name, svc in compose["services"].items():
        for key, value in svc.get("environment", {}).items():
            if not SECRETISH.search(key):
                continue
            if key.endswith("_FILE"):
                assert value.startswith("/run/secrets/"), f"{name}.{key}"
            else:
                assert re.fullmatch(r"\$\{\w+(:-)?\}", value), (
                    f"{name}.{key} holds a literal: use a secret file or ${{VAR}}"
                )


def test_secrets_are_files_outside_git(compose):
    ignored = (REPO / ".gitignore").read_text().splitlines()
    assert "/monitoring/secrets/" in ignored
    for name, secret in compose["secrets"].items():
        assert secret["file"] == f"./secrets/{name}"
    used = {s for svc in compose["services"].values() for s in svc.get("secrets", [])}
    assert used == set(compose["secrets"])


def test_no_deprecated_plugins(compose):
    env = compose["services"]["grafana"]["environment"]
    assert "GF_INSTALL_PLUGINS" not in env
    assert "GF_SECURITY_ADMIN_PASSWORD" not in env  # only the __FILE form


def _binds(svc):
    for volume in svc.get("volumes", []):
        source, target, *_ = volume.split(":")
        if source.startswith("."):
            yield source, target


def test_bind_mounts_point_at_repository_files(compose):
    # compose resolves relative paths from the compose file's directory: monitoring/.
    base = REPO / "monitoring"
    binds = [(b, svc) for svc in compose["services"].values() for b in _binds(svc)]
    assert binds
    for (source, _), _svc in binds:
        assert (base / source).resolve().is_dir(), source
    prom = dict(_binds(compose["services"]["prometheus"]))
    assert (base / "prometheus/prometheus.yml").is_file() and prom["./prometheus"] == "/etc/prometheus"
    assert "--config.file=/etc/prometheus/prometheus.yml" in compose["services"]["prometheus"]["command"]


def test_grafana_loads_generated_dashboards_and_datasource(compose):
    grafana = compose["services"]["grafana"]
    host, container = next((s, t) for s, t in _binds(grafana) if t == "/etc/grafana/provisioning")
    root = (REPO / "monitoring" / host).resolve()
    provider = load(root / "dashboards" / "azora.yaml")["providers"][0]
    path = provider["options"]["path"]
    assert path.startswith(container + "/")
    assert list((root / path[len(container) + 1 :]).glob("*.json")), "provider path holds no dashboards"
    datasource = load(root / "datasources" / "prometheus.yaml")["datasources"][0]
    assert datasource["url"] == f"${DEFAULT.datasource_url_env}"
    assert grafana["environment"][DEFAULT.datasource_url_env] == "${PROMETHEUS_URL:-http://prometheus:9090}"


def test_every_service_has_a_healthcheck(compose):
    # Loki, Alloy and Jaeger: no shell/wget verified in their images yet (stack/observability.py).
    for name, svc in compose["services"].items():
        if name in {"loki", "alloy", "jaeger"}:
            continue
        test = svc["healthcheck"]["test"]
        assert test[0] == "CMD" and test[-1].startswith("http://localhost:"), name


def test_node_exporter_sees_the_host_and_prometheus_reaches_it(tree, compose):
    node = compose["services"][DEFAULT.node.host]
    # Without these, netdev and netstat read the exporter container's own namespace.
    assert node["network_mode"] == "host" and node["pid"] == "host"
    assert "networks" not in node
    listen = [c.split("=", 1)[1] for c in node["command"] if c.startswith("--web.listen-address=")]
    assert listen == ["127.0.0.1:9100", "${HOST_GATEWAY_IP:-172.17.0.1}:9100"], "never every interface"
    assert "host.docker.internal:host-gateway" in compose["services"]["prometheus"]["extra_hosts"]
    jobs = {j["job_name"]: j for j in load(tree / "prometheus/prometheus.yml")["scrape_configs"]}
    assert jobs[DEFAULT.node.job]["static_configs"] == [{"targets": ["host.docker.internal:9100"]}]


def test_published_ports_bind_to_loopback_unless_opted_in(compose):
    published = [p for svc in compose["services"].values() for p in svc.get("ports", [])]
    assert published, "Prometheus, Alertmanager and Grafana publish their ports"
    for port in published:
        assert re.fullmatch(r"\$\{MONITORING_BIND_ADDRESS:-127\.0\.0\.1\}:(\d+):\1", port), port


def test_docker_compose_config(tree, tmp_path):
    docker = shutil.which("docker")
    if not docker or run([docker, "compose", "version"]).returncode != 0:
        pytest.skip("`docker compose` plugin not installed on this machine; structural checks above stand in")
    (tree / "secrets").mkdir(exist_ok=True)
    for name in load(tree / COMPOSE)["secrets"]:
        (tree / "secrets" / name).write_text("placeholder\n")
    result = run([docker, "compose", "-f", str(tree / COMPOSE), "config", "--quiet"])
    assert result.returncode == 0, result.stderr
