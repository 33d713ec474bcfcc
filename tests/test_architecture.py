"""The layout shows the architecture, and dependencies point one way (issue 13).

The contracts live in pyproject.toml ([tool.importlinter]) and are checked by import-linter,
which follows function-level imports too, so a lazy import cannot hide a cycle.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "azora_dash"


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([lint_imports], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:]
    assert "4 kept, 0 broken" in result.stdout


def test_top_level_holds_few_modules_and_each_package_says_what_it_owns():
    modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    # 14: dashboard_v2 sits beside dashboard_file (the one file model reads v2 through it; inside
    # schema/ it would make schema <-> dashboard_file a cycle), and grafanalib_cache beneath both
    # the authoring API and build/ (in either it would make a cycle of the two).
    assert len(modules) <= 14, modules
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        doc = init.read_text().lstrip()
        assert doc.startswith('"""') and len(doc.split('"""')[1].strip()) > 20, f"{init}: needs a one-line docstring"


def test_every_package_is_named_in_the_readme_layout():
    readme = (ROOT / "README.md").read_text()
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        assert f"azora_dash/{init.parent.name}/" in readme, init.parent.name
