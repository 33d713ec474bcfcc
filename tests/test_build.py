"""The build: deterministic, change-only, atomic, and in step with what is committed."""
from __future__ import annotations

import json
import os

from azora_dash.build import render
from azora_dash.config import DEFAULT
from azora_dash.jsonio import dumps

from .conftest import ROOT


def snapshot(root):
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_committed_provisioning_matches_the_code():
    """The drift check: what is committed is exactly what the code generates."""
    _, files = render(DEFAULT, ROOT / "dashboards")
    committed = {p.relative_to(ROOT / "provisioning").as_posix(): p.read_text()
                 for p in (ROOT / "provisioning").rglob("*") if p.is_file()}
    assert committed == files


def test_render_is_deterministic():
    assert render(DEFAULT, ROOT / "dashboards")[1] == render(DEFAULT, ROOT / "dashboards")[1]


def test_output_is_canonical_json():
    _, files = render(DEFAULT, ROOT / "dashboards")
    for rel, text in files.items():
        if rel.endswith(".json"):
            assert text == dumps(json.loads(text)), rel
            assert text.endswith("}\n")


def test_expected_files_and_uids():
    _, files = render(DEFAULT, ROOT / "dashboards")
    assert sorted(files) == [
        "dashboards/azora.yaml",
        "dashboards/azora/azora-alerts.json",
        "dashboards/azora/azora-api-gateway.json",
        "dashboards/azora/azora-business-metrics.json",
        "dashboards/azora/azora-system-overview.json",
        "datasources/prometheus.yaml",
    ]


def test_rebuild_without_change_touches_nothing(project):
    from .conftest import invoke

    out = project / "provisioning"
    before = snapshot(out)
    os.utime(out / "dashboards/azora/azora-alerts.json", ns=(1, 1))  # make any rewrite visible
    before = snapshot(out)
    invoke(["build", "--dashboards", project / "dashboards", "--out", out])
    assert snapshot(out) == before


def test_stale_dashboard_files_are_removed(project):
    from .conftest import invoke

    stale = project / "provisioning/dashboards/azora/old-uid.json"
    stale.write_text("{}\n")
    result = invoke(["build", "--dashboards", project / "dashboards", "--out", project / "provisioning"])
    assert not stale.exists()
    assert "removed" in result.stdout
