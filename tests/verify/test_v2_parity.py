"""The v1 and the v2 build of the same dashboards give the same findings: lint, preview, verify, diff."""

from __future__ import annotations

import json
import re

import pytest

from ..conftest import ROOT, invoke
from .test_e2e import DASHBOARDS, run_verify, stack  # noqa: F401 - `stack` is the e2e Prometheus fixture


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """(v1 dashboards dir, v2 dir) built from the same modules."""
    v1, v2 = tmp_path_factory.mktemp("v1"), tmp_path_factory.mktemp("v2")
    invoke(["build", "--out", v1])
    invoke(["build", "--schema", "v2", "--out", v2])
    return v1 / "dashboards" / "azora", v2


def _lint(path) -> list:
    doc = json.loads(invoke(["lint", path, "--format", "json"], exit_code=None).stdout)
    items = doc["problems"] if isinstance(doc, dict) else doc
    # Where in which file differs by form (line numbers of another JSON layout); what was found must not.
    return sorted(
        json.dumps({k: v for k, v in p.items() if k not in ("source", "line")}, sort_keys=True) for p in items
    )


def test_lint_reports_the_same_on_both(builds):
    v1, v2 = builds
    assert _lint(v1) == _lint(v2)


def test_preview_draws_the_same_svgs_from_both(builds, tmp_path):
    v1, v2 = builds
    invoke(["preview", v1, "--out", tmp_path / "p1"])
    invoke(["preview", v2, "--out", tmp_path / "p2"])
    svgs = sorted(p.name for p in (tmp_path / "p1").glob("*.svg"))
    assert svgs and svgs == sorted(p.name for p in (tmp_path / "p2").glob("*.svg"))
    for name in svgs:
        assert (tmp_path / "p1" / name).read_text() == (tmp_path / "p2" / name).read_text(), name


def _findings(doc) -> list:
    # Series counts move between two runs against a live Prometheus; what was checked and its verdict do not.
    return sorted((r["kind"], r["container"], r["name"], r.get("ref"), r["status"], r["range"]) for r in doc["results"])


def test_verify_runs_the_same_queries_with_the_same_verdicts_on_both(stack, builds):  # noqa: F811
    v1, v2 = builds
    one, two = run_verify(stack, [v1], 0), run_verify(stack, [v2], 0)
    assert _findings(one) == _findings(two)
    panels = {r["container"] for r in two["results"] if r["kind"] == "panel"}
    assert panels == {p.stem for p in DASHBOARDS.glob("*.json")}


def _changed_module(tmp_path) -> tuple:
    """The dashboards with one panel's query edited in its module: (modules dir, edited panel title)."""
    modules = tmp_path / "modules"
    modules.mkdir()
    for path in (ROOT / "dashboards").glob("*.py"):
        (modules / path.name).write_text(path.read_text())
    text = (modules / "logs_traces.py").read_text()
    edited = re.sub(r"Q\.latency_quantile\(cfg, 0\.95\)", "Q.latency_quantile(cfg, 0.9)", text, count=1)
    assert edited != text
    (modules / "logs_traces.py").write_text(edited)
    return modules, "p95 latency with exemplars"


def _changes(old, new) -> list:
    out = json.loads(invoke(["diff", old, new, "--format", "json"], exit_code=1).stdout)
    changes = out["changes"] if isinstance(out, dict) else out
    return [(c["dashboard_uid"], c["panel_id"], c["panel_title"], c["kind"], c["fields"]) for c in changes]


def test_one_edited_query_is_that_one_panel_in_both_forms(builds, tmp_path):
    v1, v2 = builds
    modules, title = _changed_module(tmp_path)
    invoke(["build", "--dashboards", modules, "--out", tmp_path / "n1"])
    invoke(["build", "--dashboards", modules, "--schema", "v2", "--out", tmp_path / "n2"])
    in_v1 = _changes(v1, tmp_path / "n1" / "dashboards" / "azora")
    in_v2 = _changes(v2, tmp_path / "n2")
    assert in_v1 == in_v2 and len(in_v1) == 1
    assert in_v1[0][:4] == ("azora-logs-traces", in_v1[0][1], title, "modified")
    assert [f["field"] for f in in_v1[0][4]] == ["expr[A]"]
    assert _changes(v1, tmp_path / "n2") == in_v1  # across forms too
