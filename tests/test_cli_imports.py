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

HEAVY = ("requests", "jsonschema", "promql_parser")

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
    assert [m for m in modules if m.split(".")[0] in HEAVY] == []


def test_validate_does_load_the_schema_validator():
    """The probe can see a heavy import when one happens: valid files need only the fast
    validator; python-jsonschema is loaded only to explain a rejected file."""
    modules = loaded_by("validate", ROOT / "provisioning" / "dashboards" / "azora")
    assert "jsonschema_rs" in modules and "jsonschema" not in modules
