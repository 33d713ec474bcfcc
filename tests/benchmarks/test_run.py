"""Smoke test of `make bench` (issue 8): every listed benchmark runs at N = 3 and the build's figures are all there.

Nothing here asserts on time (the machine is noisy and speed goals live in
``make bench``); it checks that each figure is measured and written, and that
the synthetic dashboards are the same in our style and in grafanalib's.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

from grafanalib._gen import DashboardEncoder, loader

from azora_dash.build.compile import compile_all, discover
from azora_dash.config import DEFAULT
from bench import bench_build, synthetic

from ..conftest import ROOT

BUILD_FIGURES = {
    "build/scale",
    "build/linear growth",
    "build/no-change rebuild",
    "build/peak memory",
    "build/start-up",
    "build/cached no-change rebuild",
    "build/schema v2:",
    "validate:",
    "validate",
}


def test_harness_produces_every_figure(tmp_path):
    results, figures_json = tmp_path / "results.md", tmp_path / "figures.json"
    subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--n", "3", "--out", results, "--json", figures_json],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    data = json.loads(figures_json.read_text())
    figures = data["figures"]
    assert data["failed"] == []
    assert all(any(f["name"].startswith(prefix) for f in figures) for prefix in BUILD_FIGURES)
    # Every listed benchmark contributed (each names its figures "<feature>/...").
    assert {"build", "diff", "import", "lint", "preview", "push", "verify", "demo"} <= {
        f["name"].split("/")[0] for f in figures
    }
    assert len([f for f in figures if f["name"].startswith("build/scale")]) == len(bench_build.sizes(3)) * len(
        bench_build.places()
    )
    for f in figures:
        assert isinstance(f["value"], (int, float)) and math.isfinite(f["value"]) and f["value"] >= 0, f
        assert f["unit"] and f["ok"] in (True, False, None), f
        if f["baseline_name"]:
            assert f["baseline"] > 0 and math.isclose(f["ratio"], f["value"] / f["baseline"]), f
    written = next(f for f in figures if f["name"] == "build/no-change rebuild: files written")
    assert written["value"] == 0 and written["ok"] is True
    text = results.read_text()
    assert "- cores: " in text and "- python: " in text
    assert all(f"| {f['name']} |" in text for f in figures)


def _panels(dashboard: dict) -> list[tuple]:
    return [
        (
            p["id"],
            p["type"],
            p["title"],
            p["gridPos"],
            [(t["refId"], t["expr"], t.get("legendFormat", "")) for t in p.get("targets", [])],
        )
        for p in dashboard["panels"]
    ]


def test_synthetic_dashboards_are_the_same_in_both_styles(tmp_path):
    theirs_paths = synthetic.write(2, tmp_path / "ours", tmp_path / "grafanalib")
    ours = compile_all(discover(tmp_path / "ours"), DEFAULT)
    assert len(ours) == len(theirs_paths) == 2
    for mine, path in zip(ours, theirs_paths):
        theirs = json.loads(json.dumps(loader(str(path)).to_json_data(), cls=DashboardEncoder))
        assert (mine.dashboard["uid"], mine.dashboard["title"]) == (theirs["uid"], theirs["title"])
        assert len(mine.dashboard["panels"]) == 20
        assert _panels(mine.dashboard) == _panels(theirs)
    assert _panels(ours[0].dashboard) != _panels(ours[1].dashboard)  # each dashboard has its own queries


def test_a_failing_benchmark_is_reported_and_the_others_still_count(monkeypatch):
    import types

    from bench import run

    good, bad = types.ModuleType("bench_fake_good"), types.ModuleType("bench_fake_bad")
    good.run = lambda n, quick: [
        {"name": "fake/plain dict", "value": n, "unit": "x", "baseline": 2, "goal": "", "ok": None}
    ]
    bad.run = lambda n, quick: 1 / 0
    monkeypatch.setitem(sys.modules, "bench_fake_good", good)
    monkeypatch.setitem(sys.modules, "bench_fake_bad", bad)
    monkeypatch.setattr(run, "BENCHMARKS", ["bench_fake_bad", "bench_fake_good"])
    figures, failed = run.collect(3, True)
    assert [(f.name, f.value, f.ratio) for f in figures] == [("fake/plain dict", 3, 1.5)]
    assert failed == ["bench_fake_bad failed: ZeroDivisionError: division by zero"]


def test_only_runs_the_benchmarks_and_parts_it_names(monkeypatch):
    import types

    from bench import run

    calls = []
    whole, partial, other = (types.ModuleType(f"bench_{name}") for name in ("whole", "partial", "other"))
    whole.run = lambda n, quick: (
        calls.append("whole")
        or [
            {"name": "whole/a", "value": 1, "unit": "x"},
            {"name": "whole/b", "value": 2, "unit": "x"},
        ]
    )
    partial.FAMILIES = ("partial", "extra")
    partial.run = lambda n, quick, only=(): (
        calls.append(("partial", only)) or [{"name": "extra: one", "value": 3, "unit": "x"}]
    )
    other.run = lambda n, quick: calls.append("other") or []
    for module in (whole, partial, other):
        monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(run, "BENCHMARKS", [m.__name__ for m in (whole, partial, other)])
    figures, failed = run.collect(3, True, ("whole/b", "extra"))
    assert [f.name for f in figures] == ["whole/b", "extra: one"] and failed == []
    # `other` names no wanted family, so it never ran; `partial` was told what is wanted.
    assert calls == ["whole", ("partial", ("whole/b", "extra"))]


def test_build_benchmark_measures_only_the_parts_asked_for():
    assert bench_build.needs(bench_build.STARTUP, ("build/start-up",))
    assert not bench_build.needs(bench_build.SCALE, ("build/start-up",))
    assert bench_build.needs(bench_build.SCALE, ("build",)) and bench_build.needs(bench_build.REBUILD, ("validate",))
    assert bench_build.needs(bench_build.SCALE, ())


def test_only_prints_without_replacing_the_results_file(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--n", "3", "--only", "lint/lint"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "lint/lint: 3 dashboards" in proc.stdout and "build/" not in proc.stdout
    assert "wrote" not in proc.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--n", "3", "--only", "nosuch"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2 and "no figure starts with nosuch" in missing.stderr
