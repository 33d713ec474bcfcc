"""The build: deterministic, change-only, atomic, and in step with what is committed."""

from __future__ import annotations

import json
import os

from azora_dash.build.cache import cache_path
from azora_dash.build.project import render
from azora_dash.config import DEFAULT
from azora_dash.jsonio import dumps

from ..conftest import ROOT


def snapshot(root):
    """Generated files with contents and mtimes."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_committed_provisioning_matches_the_code():
    """The drift check: what is committed is exactly what the code generates."""
    _, files = render(DEFAULT, ROOT / "dashboards")
    committed = {
        p.relative_to(ROOT / "provisioning").as_posix(): p.read_text()
        for p in (ROOT / "provisioning").rglob("*")
        if p.is_file()
    }
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
        "dashboards/azora/azora-logs-traces.json",
        "dashboards/azora/azora-slos.json",
        "dashboards/azora/azora-system-overview.json",
        "datasources/jaeger.yaml",
        "datasources/loki.yaml",
        "datasources/prometheus.yaml",
    ]


def test_rebuild_without_change_touches_nothing(project):
    from ..conftest import invoke

    out = project / "provisioning"
    before = snapshot(out)
    os.utime(out / "dashboards/azora/azora-alerts.json", ns=(1, 1))  # make any rewrite visible
    before = snapshot(out)
    invoke(["build", "--dashboards", project / "dashboards", "--out", out])
    assert snapshot(out) == before


def test_stale_dashboard_files_are_removed(project):
    from ..conftest import invoke

    stale = project / "provisioning/dashboards/azora/old-uid.json"
    stale.write_text("{}\n")
    result = invoke(["build", "--dashboards", project / "dashboards", "--out", project / "provisioning"])
    assert not stale.exists()
    assert "removed" in result.stdout


def _build(project, *extra):
    from ..conftest import invoke

    return invoke(
        ["build", "--dashboards", project / "dashboards", "--out", project / "provisioning", "--format", "json", *extra]
    )


def test_unchanged_inputs_skip_compiling(project):
    import json as _json

    assert _json.loads(_build(project).stdout)["cached"] is False
    second = _json.loads(_build(project).stdout)
    assert second["cached"] is True and second["written"] == []
    assert sorted(second["dashboards"]) == [
        "azora-alerts",
        "azora-api-gateway",
        "azora-business-metrics",
        "azora-logs-traces",
        "azora-slos",
        "azora-system-overview",
    ]


def test_cache_is_invalidated_by_a_module_edit_or_a_touched_output(project):
    import json as _json

    _build(project)
    module = project / "dashboards" / "alerts.py"
    module.write_text(module.read_text().replace("Azora / Alerts", "Azora / Alerting"))
    first = _json.loads(_build(project).stdout)
    assert first["cached"] is False and first["written"] == ["dashboards/azora/azora-alerts.json"]
    out = project / "provisioning/dashboards/azora/azora-alerts.json"
    out.write_text(out.read_text().replace("Azora / Alerting", "Hand edited"))
    again = _json.loads(_build(project).stdout)
    assert again["cached"] is False and again["written"] == ["dashboards/azora/azora-alerts.json"]
    assert "Azora / Alerting" in out.read_text()


def test_a_same_size_edit_is_an_edit(project):
    """The key counts a module by size and modification time (what Python checks before running
    its cached bytecode), so an edit that keeps the size still rebuilds."""
    import json as _json
    import os

    _build(project)
    module = project / "dashboards" / "alerts.py"
    st = module.stat()
    module.write_text(module.read_text().replace("Azora / Alerts", "Azora / Alarms"))
    os.utime(module, ns=(st.st_atime_ns, st.st_mtime_ns + 1))  # same size, a clock tick later
    assert module.stat().st_size == st.st_size
    again = _json.loads(_build(project).stdout)
    assert again["cached"] is False and again["written"] == ["dashboards/azora/azora-alerts.json"]


def test_check_never_trusts_the_cache(project):
    _build(project)
    cache = cache_path(project / "dashboards", project / "provisioning")
    out = project / "provisioning/dashboards/azora/azora-alerts.json"
    text = out.read_text().replace("Azora / Alerts", "Hand edited")
    out.write_text(text)
    # Forge a cache that vouches for the edited file: --check must still compile and see the drift.
    import json as _json

    from azora_dash.build.cache import sha

    data = _json.loads(cache.read_text())
    data["files"]["dashboards/azora/azora-alerts.json"] = sha(text.encode())
    cache.write_text(_json.dumps(data))
    from ..conftest import invoke

    invoke(["build", "--dashboards", project / "dashboards", "--out", project / "provisioning", "--check"], exit_code=1)


def test_the_cache_fingerprint_covers_the_whole_package():
    """Edits to the authoring API (panels.py, queries.py) must invalidate the build cache."""
    from azora_dash.build import cache

    assert (cache.PACKAGE / "panels.py").is_file() and (cache.PACKAGE / "build" / "project.py").is_file()
