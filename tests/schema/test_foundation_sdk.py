"""The built JSON is pure Grafana: it survives grafana-foundation-sdk 0.0.18's typed models unchanged.

The SDK's Python models are generated from the same schema we vendor (Grafana 12.3); anything
they do not know (as `options.azoraLint` once was) is dropped by a typed round trip, the way a
UI save or any typed tool would drop it.
"""

from __future__ import annotations

import json

import pytest

from azora_dash.build.project import built_files
from azora_dash.config import DEFAULT

from ..conftest import ROOT

sdk = pytest.importorskip("grafana_foundation_sdk", reason="pip install -e '.[test]' installs it")
from grafana_foundation_sdk.cog import plugins  # noqa: E402
from grafana_foundation_sdk.cog.encoder import JSONEncoder  # noqa: E402
from grafana_foundation_sdk.models.dashboard import Dashboard  # noqa: E402

plugins.register_default_plugins()


def leaves(value, path=""):
    """Every scalar (and empty container) with its JSON pointer."""
    if isinstance(value, dict) and value:
        for key, child in value.items():
            yield from leaves(child, f"{path}/{key}")
    elif isinstance(value, list) and value:
        for i, child in enumerate(value):
            yield from leaves(child, f"{path}/{i}")
    else:
        yield path, value


def round_trip(dashboard: dict) -> dict:
    return json.loads(json.dumps(Dashboard.from_json(dashboard), cls=JSONEncoder))


@pytest.mark.parametrize("file", built_files(DEFAULT, ROOT / "dashboards"), ids=lambda f: f.uid)
def test_built_dashboard_round_trips_with_nothing_dropped(file):
    before, after = dict(leaves(file.dashboard)), dict(leaves(round_trip(file.dashboard)))
    assert sorted(set(before) - set(after)) == []
    assert {k: v for k, v in before.items() if after[k] != v} == {}


def test_the_round_trip_would_notice_a_key_grafana_does_not_know():
    file = built_files(DEFAULT, ROOT / "dashboards")[0]
    panel = next(p for p in file.dashboard["panels"] if p.get("type") != "row")
    panel.setdefault("options", {})["azoraLint"] = {"ignore": {"target-job": "why"}}
    lost = set(dict(leaves(file.dashboard))) - set(dict(leaves(round_trip(file.dashboard))))
    assert any("/options/azoraLint/" in path for path in lost)
