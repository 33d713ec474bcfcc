"""`azora-dash build` stays light: heavy libraries load only in the commands that use them.

Start-up is paid on every build in every commit and PR (issue 8's start-up floor),
so ``build`` must not import the HTTP client, the schema validator or the PromQL
parser. Measured in a fresh interpreter, since this test process has imported
everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import ROOT

HEAVY = ("requests", "jsonschema", "jsonschema_rs", "promql_parser", "yaml")
# Imports a build of a few dashboards does without: OpenSSL (the build cache hashes with BLAKE2) and
# orjson, which pays for its import only from jsonio._ENCODE_FIRST dashboards on.
STARTUP_ONLY = ("_hashlib", "orjson")
# The capabilities a build never uses (their imports would be start-up paid on every build).
UNUSED = (
    "azora_dash.lint",
    "azora_dash.diff",
    "azora_dash.grafana",
    "azora_dash.verify",
    "azora_dash.importer",
    "azora_dash.stack.files",  # the SLO dashboard imports stack.slos; the stack's files are not built here
    "azora_dash.stack.alerts",
)

PROBE = """
import json, sys
from azora_dash.cli import cli
try:
    cli.main(args=sys.argv[1:], prog_name="azora-dash")
except SystemExit as exc:
    if exc.code not in (0, None):
        raise
print(json.dumps(sorted(sys.modules)))
"""


def loaded_by(*args) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", PROBE, *map(str, args)], capture_output=True, text=True, check=True)
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


def test_build_does_not_import_heavy_libraries(tmp_path):
    modules = loaded_by("build", "--dashboards", ROOT / "dashboards", "--out", tmp_path / "out", "--format", "json")
    assert "grafanalib.core" in modules and "azora_dash.build.project" in modules  # the probe saw a real build
    assert sorted((tmp_path / "out" / "dashboards" / "azora").glob("*.json"))
    assert [m for m in modules if m.split(".")[0] in HEAVY + STARTUP_ONLY] == []
    assert [m for m in modules if m in UNUSED or m.startswith(tuple(u + "." for u in UNUSED))] == []


def test_validate_does_load_the_schema_validator():
    """The probe can see a heavy import when one happens: valid files need only the fast
    validator; python-jsonschema is loaded only to explain a rejected file."""
    modules = loaded_by("validate", ROOT / "provisioning" / "dashboards" / "azora")
    assert "jsonschema_rs" in modules and "jsonschema" not in modules


MAIN_PROBE = """
import json, sys
from azora_dash.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    print(json.dumps(sorted(sys.modules)), file=sys.stderr)
    raise
"""


def _main(*args):
    return subprocess.run([sys.executable, "-c", MAIN_PROBE, *map(str, args)], capture_output=True, text=True)


def test_a_no_change_build_is_answered_before_click_or_grafanalib_load(tmp_path):
    """A cached rebuild's cost is its start-up: it reports what the full command reports,
    from the build cache, without importing click, grafanalib, PyYAML or the config."""
    args = ("build", "--dashboards", ROOT / "dashboards", "--out", tmp_path / "out", "--format", "json")
    first = _main(*args)
    assert first.returncode == 0, first.stderr
    modules = set(json.loads(first.stderr.splitlines()[-1]))
    assert "grafanalib.core" in modules and "click" not in modules  # the first build compiles, without click
    again = _main(*args)
    modules = set(json.loads(again.stderr.splitlines()[-1]))
    assert again.returncode == 0
    assert not {"click", "grafanalib", "yaml", "azora_dash.config"} & modules
    report = json.loads(again.stdout)
    assert report["cached"] is True and report["written"] == [] and len(report["dashboards"]) >= 4
    full = _click(*args)
    assert full.returncode == 0
    assert json.loads(full.stdout) == report  # the click command, answering from the same cache


def _click(*args):
    """The same command line through the click command (``commands.build``), not ``cli.main``'s path."""
    probe = PROBE.replace("print(json.dumps(sorted(sys.modules)))", "")
    return subprocess.run([sys.executable, "-c", probe, *map(str, args)], capture_output=True, text=True)


def test_the_click_free_build_says_what_the_click_command_says(tmp_path):
    """Both paths print the same report and summary, and fail with the same line and exit code."""
    (tmp_path / "dash").mkdir()
    (tmp_path / "dash" / "ok.py").write_text((ROOT / "dashboards" / "alerts.py").read_text())
    for fmt in ("text", "json"):
        # Fresh output each time: the second build of the same tree would be answered from the cache.
        fast = _main("build", "--dashboards", tmp_path / "dash", "--out", tmp_path / f"fast-{fmt}", "--format", fmt)
        slow = _click("build", "--dashboards", tmp_path / "dash", "--out", tmp_path / f"slow-{fmt}", "--format", fmt)
        assert fast.returncode == slow.returncode == 0
        assert fast.stdout.replace("fast-", "slow-") == slow.stdout
        assert fast.stderr.splitlines()[:-1] == slow.stderr.splitlines()  # the last line is the probe's modules
    (tmp_path / "dash" / "broken.py").write_text("def build(cfg):\n    raise ValueError('no')\n")
    for fmt in ("text", "json"):
        fast = _main("build", "--dashboards", tmp_path / "dash", "--out", tmp_path / "x", "--format", fmt)
        slow = _click("build", "--dashboards", tmp_path / "dash", "--out", tmp_path / "x", "--format", fmt)
        assert fast.returncode == slow.returncode == 2
        assert "broken.py:2: build() raised ValueError: no" in slow.stderr
        assert (fast.stdout, fast.stderr.splitlines()[:-1]) == (slow.stdout, slow.stderr.splitlines())
    assert not (tmp_path / "x").exists()  # and wrote nothing


def test_the_click_free_validate_says_what_the_click_command_says(tmp_path):
    """validate PATH... runs without click (it runs on every commit) and prints, fails and exits as
    the click command does: a valid file, an invalid one, a missing one."""
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text((ROOT / "provisioning" / "dashboards" / "azora" / "azora-alerts.json").read_text())
    bad.write_text('{"uid": "x", "title": "x", "panels": [{"type": "timeseries", "id": 1, "span": 12}]}')
    for args, code in (((good,), 0), ((good, bad), 1), ((tmp_path / "missing.json",), 2)):
        for fmt in ("text", "json"):
            fast = _main("validate", *args, "--format", fmt)
            slow = _click("validate", *args, "--format", fmt)
            modules = set(json.loads(fast.stderr.splitlines()[-1]))
            assert fast.returncode == slow.returncode == code and "click" not in modules
            assert (fast.stdout, fast.stderr.splitlines()[:-1]) == (slow.stdout, slow.stderr.splitlines())


def test_anything_but_a_plain_spelling_goes_through_click(tmp_path):
    from azora_dash.cli import _plain_options

    assert _plain_options(["build", "--out=x", "--format", "json"]) == (
        "build",
        {"--dashboards": "dashboards", "--out": "x", "--format": "json"},
        [],
    )
    assert _plain_options(["validate", "a.json", "--format=json", "b"]) == (
        "validate",
        {"--format": "json"},
        ["a.json", "b"],
    )
    for args in (
        ["build", "--check"],
        ["build", "--schema", "v2"],
        ["build", "-h"],
        ["build", "--out"],
        ["build", "x.json"],
        ["validate"],  # the code in dashboards/, built in memory: click's path
        ["validate", "a.json", "--dashboards", "d"],
        ["validate", "-"],
        ["lint", "a.json"],
    ):
        assert _plain_options(args) is None, args
    # an unknown --format value is click's to refuse, with its message and exit code 2
    bad = _main("build", "--dashboards", ROOT / "dashboards", "--out", tmp_path / "out", "--format", "yaml")
    assert bad.returncode == 2 and "yaml" in bad.stderr
