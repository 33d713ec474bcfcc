"""Helpers for the monitoring-stack tests: locate the real Prometheus tools and render the stack.

promtool and amtool come from Debian's prometheus / prometheus-alertmanager packages,
which `make test` installs (target `tools`). When they are missing under CI (CI=true)
that is a broken set-up, so the test fails; on a developer machine it skips with how to fix.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from azora_dash.config import DEFAULT
from azora_dash.stack import generate

from ..conftest import ROOT as REPO  # noqa: F401 - re-exported to the stack tests

PACKAGES = {"promtool": "prometheus", "amtool": "prometheus-alertmanager"}


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    msg = f"{name} is not on PATH; `make tools` installs Debian package {PACKAGES.get(name, name)}"
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(msg)
    pytest.skip(msg)


def run(cmd: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    # The tools only read files; 60s is a hang guard, not a speed assertion.
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=60)


def render_tree(root: Path, cfg=DEFAULT) -> Path:
    """Write a fresh copy of the generated stack under ``root`` and return it."""
    generate(cfg, root)
    return root


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """The stack freshly rendered into a temporary monitoring/ (import this fixture to use it)."""
    return render_tree(tmp_path_factory.mktemp("monitoring"))


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))
