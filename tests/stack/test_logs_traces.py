"""Loki, Alloy and Jaeger configs, checked structurally: no binary of them runs here.

Allowed keys are copied from each project's config structs at the pinned version (files cited);
a key outside them would stop the real binary at start-up (Loki and the OTel Collector reject
unknown fields)."""

from __future__ import annotations

import re

import yaml

from azora_dash.config import DEFAULT
from azora_dash.stack import render
from azora_dash.stack.observability import ALLOY_CONFIG, JAEGER_CONFIG, LOKI_CONFIG

FILES = render(DEFAULT)
# grafana/loki pkg/loki/loki.go Config, pkg/compactor/compactor.go Config, pkg/validation/limits.go Limits.
LOKI_TOP = {"auth_enabled", "server", "common", "schema_config", "compactor", "limits_config", "analytics"}
LOKI_COMPACTOR = {"working_directory", "retention_enabled", "delete_request_store", "compaction_interval"}
# grafana/alloy component argument names (internal/component/loki/source/docker/docker.go Arguments, ...).
ALLOY_ARGS = {
    "discovery.docker": {"host"},
    "discovery.relabel": {"targets"},
    "loki.source.docker": {"host", "targets", "forward_to", "relabel_rules", "labels", "refresh_interval"},
    "loki.process": {"forward_to"},
    "loki.write": set(),
}


def test_loki_single_binary_with_filesystem_storage_and_retention():
    doc = yaml.safe_load(FILES[LOKI_CONFIG])
    assert set(doc) <= LOKI_TOP
    assert set(doc["compactor"]) <= LOKI_COMPACTOR
    assert doc["compactor"]["retention_enabled"] and doc["compactor"]["delete_request_store"] == "filesystem"
    assert doc["limits_config"]["retention_period"] == "168h"
    assert doc["schema_config"]["configs"][0]["object_store"] == "filesystem"


def test_jaeger_v2_pipeline_refers_only_to_declared_components():
    doc = yaml.safe_load(FILES[JAEGER_CONFIG])
    pipe = doc["service"]["pipelines"]["traces"]
    for kind in ("receivers", "processors", "exporters"):
        assert set(pipe[kind]) <= set(doc[kind]), kind
    assert set(doc["service"]["extensions"]) <= set(doc["extensions"])
    store = doc["exporters"]["jaeger_storage_exporter"]["trace_storage"]
    assert store in doc["extensions"]["jaeger_storage"]["backends"]
    assert doc["extensions"]["jaeger_query"]["storage"]["traces"] == store
    assert set(doc["receivers"]["otlp"]["protocols"]) == {"grpc", "http"}


def test_alloy_components_use_known_arguments_and_set_our_labels():
    text = FILES[ALLOY_CONFIG]
    blocks = re.findall(r'^([a-z.]+) "(\w+)" \{\n(.*?)^\}', text, re.M | re.S)
    assert {b[0] for b in blocks} == set(ALLOY_ARGS)
    for component, _, body in blocks:
        top = set(re.findall(r"^  (\w+)\s+=", body, re.M))
        assert top <= ALLOY_ARGS[component], component
    assert set(re.findall(r'target_label  = "(\w+)"', text)) == {"job", "service", "container"}
    assert 'values = { level = "" }' in text  # level from the JSON line becomes a stream label
    for s in DEFAULT.services:
        assert f'replacement   = "{s.job}"' in text  # container -> the Prometheus job the queries use


def test_compose_pins_images_publishes_on_localhost_and_enables_exemplars():
    doc = yaml.safe_load(FILES["docker-compose.yml"])
    services = doc["services"]
    for name in ("loki", "alloy", "jaeger"):
        assert ":" in services[name]["image"] and not services[name]["image"].endswith(":latest")
        assert all(p.startswith("${MONITORING_BIND_ADDRESS:-127.0.0.1}:") for p in services[name].get("ports", []))
    assert "--enable-feature=exemplar-storage" in services["prometheus"]["command"]
    assert {"LOKI_URL", "JAEGER_URL"} <= set(services["grafana"]["environment"])
