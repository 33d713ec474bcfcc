"""``monitoring/loki/loki.yml``: single-binary Loki, filesystem storage, retention enforced.

Keys are Loki's config structs at the pinned version (grafana/loki v3.5): ``pkg/loki/loki.go``
(Config: auth_enabled, server, common, schema_config, compactor, limits_config, analytics),
``pkg/loki/common/common.go`` (path_prefix, storage.filesystem, replication_factor, ring),
``pkg/compactor/compactor.go`` (working_directory, retention_enabled, delete_request_store;
retention needs a delete-request store), ``pkg/validation/limits.go`` (retention_period).
"""

from __future__ import annotations

from .settings import Stack

PORT = 3100
DATA = "/loki"


def config(stack: Stack) -> dict:
    return {
        "auth_enabled": False,  # one tenant ("fake"); Grafana talks to it inside the compose network
        "server": {"http_listen_port": PORT, "log_level": "info"},
        "common": {
            "instance_addr": "127.0.0.1",
            "path_prefix": DATA,
            "storage": {"filesystem": {"chunks_directory": f"{DATA}/chunks", "rules_directory": f"{DATA}/rules"}},
            "replication_factor": 1,
            "ring": {"kvstore": {"store": "inmemory"}},
        },
        "schema_config": {
            "configs": [
                {
                    "from": "2024-01-01",
                    "store": "tsdb",
                    "object_store": "filesystem",
                    "schema": "v13",
                    "index": {"prefix": "index_", "period": "24h"},
                }
            ]
        },
        # The compactor deletes chunks older than retention_period; without it Loki keeps logs forever.
        "compactor": {
            "working_directory": f"{DATA}/compactor",
            "retention_enabled": True,
            "delete_request_store": "filesystem",
        },
        "limits_config": {"retention_period": stack.log_retention, "allow_structured_metadata": True},
        "analytics": {"reporting_enabled": False},
    }
